//! SVG charts of the ratios (`target/bench/ratio-<figure>.svg`): one
//! horizontal bar per program and opt level, on a log scale centred on
//! 1× (left of it: ours is lower, i.e. better). Drawn by hand: a bar chart
//! is a few rectangles and labels, and the build system stays std-only
//! (a plotting crate would be fetched and compiled on every fresh clone).

use std::fmt::Write;

use super::results::{Figure, Report};

const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 190.0;
const ROW: f64 = 22.0;
const TOP: f64 = 48.0;
/// Decades shown either side of 1×.
const DECADES: f64 = 2.0;

/// The chart of `figure`, or `None` when no measurement has its ratio.
pub fn render(report: &Report, figure: &Figure) -> Option<String> {
    let bars: Vec<(String, f64)> = report
        .measurements
        .iter()
        .filter_map(|m| Some((format!("{} O{}", m.program, m.opt_level), m.ratio(figure)?)))
        .collect();
    chart(figure.title, &bars)
}

/// The chart of the host compile-time ratios, or `None` without any.
pub fn render_host(report: &Report) -> Option<String> {
    let bars: Vec<(String, f64)> = report
        .host_compiles
        .iter()
        .filter_map(|h| Some((h.program.clone(), h.ratio()?)))
        .collect();
    chart("host debug compile (s)", &bars)
}

fn chart(title: &str, bars: &[(String, f64)]) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let plot_left = LABEL_WIDTH;
    let plot_right = WIDTH - 70.0;
    let centre = (plot_left + plot_right) / 2.0;
    let per_decade = (plot_right - centre) / DECADES;
    let x_of = |ratio: f64| centre + ratio.log10().clamp(-DECADES, DECADES) * per_decade;
    let height = TOP + ROW * bars.len() as f64 + 30.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"10\" y=\"20\" font-size=\"14\">{}: ours ÷ LLVM (log scale; left of 1× \
         ours is lower)</text>\n",
        title
    );
    for decade in -2..=2 {
        let ratio = 10f64.powi(decade);
        let x = x_of(ratio);
        let _ = writeln!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"{}\"/>\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{ratio}×</text>",
            TOP - 12.0,
            height - 24.0,
            if decade == 0 { "black" } else { "#ccc" },
            TOP - 16.0,
        );
    }
    for (i, (label, ratio)) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let x = x_of(*ratio);
        let (left, right) = (x.min(centre), x.max(centre));
        let colour = if *ratio <= 1.0 { "#4a9a4a" } else { "#c05050" };
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL_WIDTH - 8.0,
            y + 15.0,
            y + 4.0,
            (right - left).max(1.0),
            ROW - 8.0,
            plot_right + 6.0,
            y + 15.0,
            super::markdown::ratio(*ratio),
        );
    }
    svg.push_str("</svg>\n");
    Some(svg)
}
