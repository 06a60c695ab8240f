fn main() {
    // Vite builds the UI into ui/dist; new files there must trigger a rebuild too.
    println!("cargo:rerun-if-changed=ui/dist");
    assert!(
        std::path::Path::new("ui/dist/index.html").exists(),
        "ui/dist is missing: build the UI first (`npm --prefix ui ci && npm --prefix ui run build`), \
         or use `cargo xtask run`, which does everything"
    );
    // The config is the root tauri.conf.json (this build script runs in the root);
    // the capabilities live with the shell's sources.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*.json");
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
