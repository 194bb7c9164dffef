//! Charts as SVG text, drawn on the server: no script, and no inline style (the page's CSP
//! allows none): colours come from classes in the dashboard's stylesheet, sizes from
//! presentation attributes. Each chart is one image with a title; the page puts a table of the
//! same numbers beside it.

use super::html::{count, escape};
use super::period::date;
use std::fmt::Write;

const WIDTH: f64 = 720.0;

/// One bar per day of `days` (each day of the period, in order, with its count).
pub fn daily_bars(id: &str, title: &str, days: &[(i64, i64)]) -> String {
    const HEIGHT: f64 = 220.0;
    const LEFT: f64 = 64.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 28.0;
    let plot_width = WIDTH - LEFT - 8.0;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let max = days.iter().map(|(_, value)| *value).max().unwrap_or(0).max(1);
    let mut svg = open(id, title, HEIGHT);
    let base = TOP + plot_height;
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{}" y2="{TOP}"/><line class="axis" x1="{LEFT}" y1="{base}" x2="{}" y2="{base}"/>"#,
        WIDTH - 8.0,
        WIDTH - 8.0
    );
    let _ = write!(
        svg,
        r#"<text class="label" x="{}" y="{}" text-anchor="end">{}</text><text class="label" x="{}" y="{base}" text-anchor="end">0</text>"#,
        LEFT - 6.0,
        TOP + 4.0,
        count(max),
        LEFT - 6.0
    );
    let slot = plot_width / days.len().max(1) as f64;
    for (index, (day, value)) in days.iter().enumerate() {
        let height = plot_height * *value as f64 / max as f64;
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"><title>{}: {}</title></rect>"#,
            LEFT + slot * index as f64 + slot * 0.1,
            base - height,
            (slot * 0.8).max(0.5),
            height,
            date(*day),
            count(*value)
        );
    }
    if let (Some((first, _)), Some((last, _))) = (days.first(), days.last()) {
        let _ = write!(
            svg,
            r#"<text class="label" x="{LEFT}" y="{}">{}</text><text class="label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            HEIGHT - 8.0,
            date(*first),
            WIDTH - 8.0,
            HEIGHT - 8.0,
            date(*last)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One labelled row of a bar chart: its length as a share of the longest (0 to 1), and the
/// text written after it.
pub struct Bar {
    pub label: String,
    pub share: f64,
    pub text: String,
}

/// One horizontal bar per row.
pub fn horizontal_bars(id: &str, title: &str, bars: &[Bar]) -> String {
    const ROW: f64 = 28.0;
    const LABEL: f64 = 180.0;
    const VALUE: f64 = 130.0;
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let mut svg = open(id, title, height);
    let room = WIDTH - LABEL - VALUE;
    for (index, bar) in bars.iter().enumerate() {
        let top = 4.0 + ROW * index as f64;
        let length = room * bar.share.clamp(0.0, 1.0);
        let _ = write!(
            svg,
            r#"<text class="label" x="{}" y="{:.1}" text-anchor="end">{}</text><rect class="track" x="{LABEL}" y="{:.1}" width="{room}" height="18"/><rect class="bar" x="{LABEL}" y="{:.1}" width="{length:.2}" height="18"/><text class="label" x="{}" y="{:.1}">{}</text>"#,
            LABEL - 8.0,
            top + 14.0,
            escape(&bar.label),
            top + 1.0,
            top + 1.0,
            LABEL + room + 8.0,
            top + 14.0,
            escape(&bar.text)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn open(id: &str, title: &str, height: f64) -> String {
    let id = escape(id);
    format!(
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_have_a_title_and_no_inline_style_and_escape_their_labels() {
        let days = daily_bars("days", "Decisions <per> day", &[(20_787, 3), (20_788, 0)]);
        assert!(days.contains(r#"<title id="days-title">Decisions &lt;per&gt; day</title>"#));
        assert_eq!(days.matches("<rect class=\"bar\"").count(), 2);
        assert!(days.contains("<title>2026-11-30: 3</title>"));
        let bars = horizontal_bars(
            "categories",
            "Opt-in",
            &[Bar { label: "<img src=x onerror=alert(1)>".into(), share: 0.5, text: "50 %".into() }],
        );
        assert!(!bars.contains("<img"));
        for svg in [days, bars] {
            assert!(!svg.contains("style"), "{svg}");
        }
    }
}
