//! Charts drawn on the server as inline SVG: no script, no image requests, readable on a
//! 360 px phone (they scale to the width of their box), and each with a sentence that says
//! what it shows for screen readers.

use leptos::prelude::*;

/// Width and height of a chart's drawing space; the SVG scales to its box.
const W: f64 = 320.0;
const H: f64 = 170.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 22.0;

/// A rounded-up scale top: 1, 2 or 5 times a power of ten, at least `max`.
pub fn nice_top(max: i64) -> i64 {
    let max = max.max(1);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max {
                return step * m;
            }
        }
        step *= 10;
    }
}

fn x_of(day: i64, days: i64) -> f64 {
    LEFT + (W - LEFT - RIGHT) * day as f64 / days.max(1) as f64
}

fn y_of(value: i64, top: i64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - value as f64 / top.max(1) as f64)
}

fn points(list: &[(i64, i64)], days: i64, top: i64) -> String {
    list.iter()
        .map(|(d, v)| format!("{:.1},{:.1}", x_of(*d, days), y_of(*v, top)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A burn-up chart: the value day by day (day 0 is the start), the straight line from the
/// start to the target on the last day, and the target itself.
#[component]
pub fn BurnUp(
    /// The chart's id (for its description).
    id: String,
    /// Value at the end of each day so far (day 1 first); `None` where unknown.
    series: Vec<Option<i64>>,
    start: i64,
    target: Option<i64>,
    days: i64,
    /// Add "%" to the scale.
    percent: bool,
    /// The sentence that says what the chart shows.
    description: String,
    /// Labels of the x axis ends: ("Ngày 1", "Ngày 45").
    first_label: String,
    last_label: String,
) -> impl IntoView {
    let mut actual: Vec<(i64, i64)> = vec![(0, start)];
    actual.extend(
        series
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i as i64 + 1, (*v)?))),
    );
    let highest = actual.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let top = if percent {
        100
    } else {
        nice_top(highest.max(target.unwrap_or(0)))
    };
    let suffix = if percent { "%" } else { "" };
    let line = target.map(|t| points(&[(0, start.min(t)), (days, t)], days, top));
    let target_y = target.map(|t| y_of(t, top));
    let desc_id = format!("{id}-desc");
    let labelled = desc_id.clone();
    let last = actual.last().copied();
    view! {
        <svg
            class="chart burnup"
            viewBox=format!("0 0 {W} {H}")
            role="img"
            aria-labelledby=labelled
            preserveAspectRatio="xMidYMid meet"
        >
            <desc id=desc_id>{description}</desc>
            // The frame and the scale.
            <line class="chart-axis" x1=LEFT y1=TOP x2=LEFT y2=H - BOTTOM />
            <line class="chart-axis" x1=LEFT y1=H - BOTTOM x2=W - RIGHT y2=H - BOTTOM />
            <text class="chart-label" x=LEFT - 4.0 y=TOP + 4.0 text-anchor="end">
                {format!("{top}{suffix}")}
            </text>
            <text class="chart-label" x=LEFT - 4.0 y=H - BOTTOM text-anchor="end">
                {format!("0{suffix}")}
            </text>
            <text class="chart-label" x=LEFT y=H - 6.0 text-anchor="start">
                {first_label}
            </text>
            <text class="chart-label" x=W - RIGHT y=H - 6.0 text-anchor="end">
                {last_label}
            </text>
            {target_y
                .map(|y| {
                    view! {
                        <line class="chart-target" x1=LEFT y1=y x2=W - RIGHT y2=y />
                    }
                })}
            {line.map(|p| view! { <polyline class="chart-ideal" points=p /> })}
            <polyline class="chart-actual" points=points(&actual, days, top) />
            {last
                .map(|(d, v)| {
                    view! {
                        <circle class="chart-dot" cx=x_of(d, days) cy=y_of(v, top) r="3.5" />
                    }
                })}
        </svg>
    }
}

/// Horizontal bars: each row's part of its whole (e.g. officials meeting their standard of
/// all officials), with the numbers written beside it.
#[component]
pub fn ShareBars(
    id: String,
    /// (label, part, whole, text written at the end).
    rows: Vec<(String, i64, i64, String)>,
    description: String,
) -> impl IntoView {
    let row_h = 34.0;
    let height = row_h * rows.len().max(1) as f64 + 4.0;
    let bar_x = 0.0;
    let bar_w = W;
    let desc_id = format!("{id}-desc");
    let labelled = desc_id.clone();
    view! {
        <svg
            class="chart bars"
            viewBox=format!("0 0 {W} {height}")
            role="img"
            aria-labelledby=labelled
        >
            <desc id=desc_id>{description}</desc>
            {rows
                .into_iter()
                .enumerate()
                .map(|(i, (label, part, whole, text))| {
                    let y = 4.0 + row_h * i as f64;
                    let share = if whole > 0 { part.clamp(0, whole) as f64 / whole as f64 } else { 0.0 };
                    view! {
                        <text class="chart-label" x=bar_x y=y + 10.0>
                            {format!("{label}: {text}")}
                        </text>
                        <rect class="chart-whole" x=bar_x y=y + 14.0 width=bar_w height="12" rx="2" />
                        <rect
                            class="chart-part"
                            x=bar_x
                            y=y + 14.0
                            width=format!("{:.1}", bar_w * share)
                            height="12"
                            rx="2"
                        />
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_round_up_to_readable_tops() {
        assert_eq!(nice_top(0), 1);
        assert_eq!(nice_top(3), 5);
        assert_eq!(nice_top(7), 10);
        assert_eq!(nice_top(120), 200);
        assert_eq!(nice_top(20_000), 20_000);
        assert_eq!(nice_top(20_001), 50_000);
    }

    #[test]
    fn points_stay_inside_the_frame() {
        let p = points(&[(0, 0), (45, 100)], 45, 100);
        assert_eq!(
            p,
            format!("{LEFT:.1},{:.1} {:.1},{TOP:.1}", H - BOTTOM, W - RIGHT)
        );
    }
}
