using System.Globalization;
using System.Text;

namespace OfflineBackup.Bench;

/// <summary>A target a figure is held to, judged on its worst repetition (max or min).</summary>
public sealed record Target(string Text, Func<Stats, bool> Check)
{
    public static Target AtMost(double limit, string unit) =>
        new(string.Create(CultureInfo.InvariantCulture, $"≤ {limit:0.##} {unit}, every run"), s => s.Max <= limit);

    public static Target Exactly(double value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"= {value:0.##}, every run"), s => s.Min == value && s.Max == value);
}

/// <summary>One measured figure: its repetitions summarised, and the target it must meet, if any.</summary>
public sealed record Figure(string Name, string Unit, Stats Stats, Target? Target = null, string Format = "0")
{
    public bool? Met => Target?.Check(Stats);
}

/// <summary>One table: a benchmark's figures and notes that say what was measured and how.</summary>
public sealed class Section(string title)
{
    public string Title { get; } = title;

    public List<Figure> Figures { get; } = [];

    public List<string> Notes { get; } = [];

    public void Add(string name, string unit, IReadOnlyCollection<double> samples, Target? target = null, string format = "0") =>
        Figures.Add(new Figure(name, unit, Stats.Of(samples), target, format));
}

/// <summary>Renders sections as Markdown tables: what bench/run prints and BENCHMARKS.md records.</summary>
public static class Report
{
    public static string Render(IEnumerable<Section> sections)
    {
        var text = new StringBuilder();
        foreach (var section in sections)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {section.Title}");
            text.AppendLine();
            text.AppendLine("| figure | unit | median | min | max | runs | target |");
            text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
            foreach (var figure in section.Figures)
            {
                var s = figure.Stats;
                var target = figure.Target is null ? "" : $"{figure.Target.Text}: {(figure.Met == true ? "met" : "**MISSED**")}";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {figure.Name} | {figure.Unit} | {Number(s.Median, figure.Format)} | {Number(s.Min, figure.Format)} | {Number(s.Max, figure.Format)} | {s.Count} | {target} |");
            }

            if (section.Notes.Count > 0)
            {
                text.AppendLine();
                foreach (var note in section.Notes)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
