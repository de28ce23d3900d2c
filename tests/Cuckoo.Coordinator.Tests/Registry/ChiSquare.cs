namespace Cuckoo.Coordinator.Tests.Registry;

/// <summary>Pearson's chi-square goodness-of-fit test, with the distribution computed rather than read from a table.</summary>
internal static class ChiSquare
{
    public static double Statistic(IReadOnlyList<long> observed, IReadOnlyList<double> expected)
    {
        if (observed.Count != expected.Count)
        {
            throw new ArgumentException("One expected count per observed count.");
        }
        var sum = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            var d = observed[i] - expected[i];
            sum += d * d / expected[i];
        }
        return sum;
    }

    /// <summary>P(X ≥ <paramref name="statistic"/>) for X chi-square with <paramref name="degreesOfFreedom"/>: Q(k/2, x/2).</summary>
    public static double PValue(double statistic, int degreesOfFreedom) =>
        statistic <= 0 ? 1.0 : UpperRegularizedGamma(degreesOfFreedom / 2.0, statistic / 2.0);

    /// <summary>The x with P(X ≥ x) = <paramref name="alpha"/>, by bisection on the p-value (decreasing in x).</summary>
    public static double CriticalValue(int degreesOfFreedom, double alpha)
    {
        var lo = 0.0;
        var hi = degreesOfFreedom + 20 * Math.Sqrt(2.0 * degreesOfFreedom) + 50;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (PValue(mid, degreesOfFreedom) > alpha)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    // Q(a, x) = Γ(a, x) / Γ(a): the series for P below a + 1, the continued fraction for Q above (Numerical Recipes, 6.2).
    private static double UpperRegularizedGamma(double a, double x) =>
        x < a + 1 ? 1.0 - LowerSeries(a, x) : UpperContinuedFraction(a, x);

    private static double LowerSeries(double a, double x)
    {
        var ap = a;
        var term = 1.0 / a;
        var sum = term;
        for (var n = 0; n < 10_000; n++)
        {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * 1e-16)
            {
                break;
            }
        }
        return sum * Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
    }

    private static double UpperContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }
        return Math.Exp(-x + a * Math.Log(x) - LogGamma(a)) * h;
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    // Lanczos' approximation (g = 7, 9 terms): about 15 significant digits for a > 0.
    internal static double LogGamma(double a)
    {
        if (a < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * a)) - LogGamma(1 - a);
        }
        a -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (a + i);
        }
        var t = a + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (a + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
