//! The TypeScript types the UI uses are generated from these Rust types and kept in
//! `ui/src/bindings/`. This test fails when the committed files are stale; run it
//! with `AVVIK_UPDATE_BINDINGS=1` to rewrite them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

fn render<T: TS + 'static + ?Sized>(cfg: &Config, out: &mut BTreeMap<PathBuf, String>) {
    let path = T::output_path().expect("exported types have an output path");
    out.insert(
        path,
        T::export_to_string(cfg).expect("ts-rs renders the type"),
    );
}

fn all_bindings(cfg: &Config) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    render::<avvik_core::Case>(cfg, &mut out);
    render::<avvik_core::CaseInput>(cfg, &mut out);
    render::<avvik_core::CaseStatus>(cfg, &mut out);
    render::<avvik_core::ErrorKind>(cfg, &mut out);
    render::<avvik_core::Problem>(cfg, &mut out);
    render::<crate::CommandError>(cfg, &mut out);
    render::<crate::AppInfo>(cfg, &mut out);
    out
}

#[test]
fn typescript_bindings_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
    let cfg = Config::new().with_out_dir(&dir);
    let expected = all_bindings(&cfg);
    let update = std::env::var_os("AVVIK_UPDATE_BINDINGS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            if update {
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.display().to_string());
            }
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = PathBuf::from(entry.unwrap().file_name());
        if !expected.contains_key(&name) {
            if update {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(format!("{} (no longer generated)", name.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale: {stale:?}. Regenerate with \
         `AVVIK_UPDATE_BINDINGS=1 cargo test -p avvik-desktop --lib bindings` and commit the result."
    );
}
