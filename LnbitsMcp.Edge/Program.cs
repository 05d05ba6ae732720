using LnbitsMcp.Edge;

var app = EdgeApplication.Build(args);
app.Run();
