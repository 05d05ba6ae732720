using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Configuration;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Tests.Configuration;

/// <summary>
/// A duration setting outside its bounds fails the options' validation with the setting's name and the bounds; the
/// bounds are inclusive; and many threads validating new options at once never see a bound half parsed (the
/// framework's <c>[Range(typeof(TimeSpan), …)]</c> could throw <see cref="InvalidCastException"/> there).
/// </summary>
public sealed class TimeSpanRangeAttributeTests
{
    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void ADurationOutsideItsBoundsIsRefusedWithTheSettingAndTheBounds()
    {
        var problem = Assert.Single(Validate(new SessionsOptions { IdleTimeout = TimeSpan.FromDays(31) }));

        Assert.Equal("The field IdleTimeout must be between 00:00:01 and 30.00:00:00.", problem.ErrorMessage);
        Assert.Equal([nameof(SessionsOptions.IdleTimeout)], problem.MemberNames);
        Assert.Empty(Validate(new SessionsOptions { IdleTimeout = TimeSpan.FromDays(30) }));
        Assert.Empty(Validate(new SessionsOptions { IdleTimeout = TimeSpan.FromSeconds(1) }));
        Assert.Single(Validate(new SessionsOptions { IdleTimeout = TimeSpan.FromMilliseconds(999) }));
    }

    [Fact]
    public void NullPassesAndAnythingButADurationFails()
    {
        var range = new TimeSpanRangeAttribute("00:00:01", "00:01:00");

        Assert.True(range.IsValid(null));
        Assert.False(range.IsValid("00:00:30"));
        Assert.True(range.IsValid(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void ManyThreadsValidatingFreshAttributesAtOnceAllGetTheirAnswer()
    {
        // Threads walk the same fresh attributes in the same order, so each is first validated by several at once.
        var ranges = Enumerable.Range(0, 200_000).Select(_ => new TimeSpanRangeAttribute("00:00:01", "30.00:00:00")).ToArray();
        using var start = new Barrier(4);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            foreach (var range in ranges)
            {
                try
                {
                    if (!range.IsValid(TimeSpan.FromMinutes(i + 1)))
                    {
                        failures.Add("refused a valid duration");
                    }
                }
                catch (Exception error)
                {
                    failures.Add(error.GetType().Name);
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Empty(failures);
    }
}
