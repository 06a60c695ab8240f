//! The IPC commands of the overview («Oversikt»): saving a chart as SVG or PNG (the
//! figures are an operation: see `avvik-api`). The window may not touch files itself (its capability grants no file API),
//! so it hands the drawing to Rust, which asks where to save with the OS dialog.

use avvik_core::{Problem, ValidationError};
use chrono::Utc;
use tauri::State;

use crate::calls::as_signed_in;
use crate::commands::save_with_dialog;
use crate::error::CommandError;
use crate::state::AppState;

/// The most a chart may weigh (SVG text or PNG bytes).
const MAX_CHART_BYTES: usize = 8 * 1024 * 1024;

/// Saves a chart drawn in the window as an SVG file; the path, or none when cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_chart<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    svg: String,
) -> Result<Option<String>, CommandError> {
    may_save_charts(&state).await?;
    let start = svg.trim_start();
    if !(start.starts_with("<svg") || start.starts_with("<?xml")) || !svg.contains("</svg>") {
        return Err(invalid(
            "svg",
            Problem::Malformed,
            "the chart is not an SVG drawing",
        ));
    }
    if svg.len() > MAX_CHART_BYTES {
        return Err(invalid("svg", Problem::TooLong, "the chart is too large"));
    }
    save_with_dialog(app, file_name(&name, "svg")?, svg.into_bytes()).await
}

/// Saves a chart the window drew on a canvas as a PNG file (base64, as
/// `canvas.toDataURL` gives it, with or without its `data:` prefix).
#[tauri::command(rename_all = "snake_case")]
pub async fn save_chart_png<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    base64: String,
) -> Result<Option<String>, CommandError> {
    use base64::Engine;
    may_save_charts(&state).await?;
    let data = base64
        .strip_prefix("data:image/png;base64,")
        .unwrap_or(&base64);
    let png = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| invalid("png", Problem::Malformed, "the chart is not base64"))?;
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(invalid(
            "png",
            Problem::Malformed,
            "the chart is not a PNG image",
        ));
    }
    if png.len() > MAX_CHART_BYTES {
        return Err(invalid("png", Problem::TooLong, "the chart is too large"));
    }
    save_with_dialog(app, file_name(&name, "png")?, png).await
}

/// Only someone signed in who may see the overview saves its charts.
async fn may_save_charts(state: &AppState) -> Result<(), CommandError> {
    as_signed_in(state, |s| s.may_see_overview()).await
}

/// `avvik-<chart>-<Oslo day>.<ext>`; a chart's name is a short key (letters, digits, dashes).
fn file_name(name: &str, ext: &str) -> Result<String, CommandError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok {
        return Err(invalid(
            "name",
            Problem::Malformed,
            "a chart's name is a short key of lower-case letters, digits and dashes",
        ));
    }
    let today = Utc::now()
        .with_timezone(&avvik_core::time::DISPLAY_TZ)
        .format("%Y-%m-%d");
    Ok(format!("avvik-{name}-{today}.{ext}"))
}

fn invalid(field: &str, problem: Problem, detail: &str) -> CommandError {
    avvik_core::Error::from(ValidationError::new(field, problem, detail)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charts_file_name_is_a_safe_key_and_the_day() {
        let name = file_name("cases-per-month", "svg").unwrap();
        assert!(name.starts_with("avvik-cases-per-month-") && name.ends_with(".svg"));
        for bad in ["", "../etc/passwd", "Store", "a b", &"x".repeat(41)] {
            assert!(file_name(bad, "png").is_err(), "{bad:?}");
        }
    }
}
