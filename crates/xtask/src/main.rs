//! Project automation, with no dependencies beyond std:
//!
//! - `cargo xtask run`  sets everything up (system packages, the UI's npm packages,
//!   the UI build) and starts the desktop app;
//! - `cargo xtask test` sets everything up and runs every test: the UI's type check
//!   and unit tests, the Rust tests of every crate, and the end-to-end tests in the
//!   real window under Xvfb;
//! - `cargo xtask deb`  builds the .deb package with the Tauri CLI from npm;
//! - `cargo xtask screenshots` runs the end-to-end tests and copies the README's
//!   screenshots from them into docs/screenshots/;
//! - `cargo xtask bench [--app] [--quick]` builds the benchmark harness optimised and
//!   runs it: the figures against their budgets in docs/PERFORMANCE.md (issue 9).
//!
//! Nothing here needs more than std; the benchmark's own work is in `crates/avvik-bench`.
//!
//! System packages are installed with apt when missing (as root, or through sudo).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Needed to build and run the desktop app (Tauri's Linux prerequisites).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libssl-dev",
    "libxdo-dev",
    // The app's document preview draws PDF pages with poppler's pdftocairo (the .deb
    // depends on it too).
    "poppler-utils",
];

/// Needed only by the end-to-end tests: a virtual display, the WebDriver for
/// WebKitGTK, a session bus, and Python for the WebDriver client.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus",
    "python3",
    "fonts-dejavu-core",
    // Makes the certificate of the SMTP test server (crates/avvik-mail/tests).
    "openssl",
    // pdftotext, pdffonts and pdftoppm check the PDF documents (crates/avvik-pdf/tests).
    "poppler-utils",
    // Reads back what the filing assistant put on the clipboard (tests/e2e).
    "xclip",
    // Opens the CSV export as a spreadsheet does, to find no formula in it
    // (crates/avvik/tests/cli.rs).
    "libreoffice-calc-nogui",
];

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("deb") => deb(),
        Some("screenshots") => screenshots(),
        Some("bench") => bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- APP ARGS] | test | deb | screenshots | bench [--app] [--quick]>\n\n  \
                 run    set up (apt, npm, UI build) and start the desktop app\n  \
                 test   set up and run every test (UI, Rust, end-to-end in the real window)\n  \
                 deb    build the .deb package (target/release/bundle/deb/)\n  \
                 screenshots  run the end-to-end tests and refresh docs/screenshots/ from them\n  \
                 bench  measure against the budgets and rewrite docs/PERFORMANCE.md: a synthetic\n         \
                 register of 100 000 cases and a history of 1 000 000 events (made once, cached\n         \
                 in target/bench/), LibreOffice beside the notice when it is installed;\n         \
                 --app also builds the app and times its cold start and memory under Xvfb;\n         \
                 --quick is a smoke run on a small register (the table goes to target/bench/)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repo root exists")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn run(app_args: &[String]) -> Result {
    setup(false)?;
    let app_args: Vec<&str> = app_args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--")
        .collect();
    let mut args = vec!["run", "--locked", "-p", "avvik-desktop", "--"];
    args.extend(app_args);
    cmd("cargo", &args).dir(&root()).run()
}

fn test() -> Result {
    let started = Instant::now();
    setup(true)?;
    let root = root();
    let ui = root.join("ui");
    step("exactly one rusqlite in the dependency graph", || {
        // `cargo tree -i` fails when the name matches more than one version.
        cmd(
            "cargo",
            &[
                "tree",
                "--workspace",
                "--locked",
                "-e",
                "normal",
                "-i",
                "rusqlite",
            ],
        )
        .dir(&root)
        .run()
    })?;
    step("no database crate below the store (the layers)", || {
        no_database_crate(&root)
    })?;
    step(
        "the Tauri crate and @tauri-apps/api on one minor version",
        || tauri_versions_match(&root),
    )?;
    step("UI unit tests", || cmd("npm", &["test"]).dir(&ui).run())?;
    step("Rust tests (every crate)", || {
        cmd("cargo", &["test", "--workspace", "--locked"])
            .dir(&root)
            .run()
    })?;
    step("formatting and lints (rustfmt, clippy)", || {
        cmd("cargo", &["fmt", "--all", "--check"])
            .dir(&root)
            .run()?;
        cmd(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
        )
        .dir(&root)
        .run()
    })?;
    step("build the app and the CLI", || build_app_and_cli(&root))?;
    step("end-to-end tests in the real window", || {
        end_to_end(&target_dir().join("e2e"), None)
    })?;
    println!(
        "xtask: every test passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The crates that must not reach a database crate, and the edges looked at: the core
/// (with its dev-dependencies too: its tests need no store), and the documents and the
/// mail sender (what they compile; their tests use the SQLite store).
const STORE_FREE: &[(&str, &str)] = &[
    ("avvik-core", "all"),
    ("avvik-api", "all"),
    ("avvik-documents", "normal,build"),
    ("avvik-mail", "normal,build"),
];

/// Fails when a crate that must stay free of any store reaches rusqlite (SQLCipher) or
/// a PostgreSQL client, naming the path that brings it in.
fn no_database_crate(root: &Path) -> Result {
    for (krate, edges) in STORE_FREE {
        if !root.join("crates").join(krate).is_dir() {
            continue;
        }
        let out = cmd(
            "cargo",
            &[
                "tree", "--locked", "-p", krate, "-e", edges, "--prefix", "none",
            ],
        )
        .dir(root)
        .output()?;
        for banned in [
            "rusqlite ",
            "libsqlite3-sys ",
            "postgres ",
            "tokio-postgres ",
            "sqlx ",
        ] {
            if out.lines().any(|l| l.starts_with(banned)) {
                return Err(format!(
                    "{krate} depends on {} (see `cargo tree -p {krate} -e {edges} -i {}`): the core and what sits beside it reach a store only through the core's interfaces",
                    banned.trim(),
                    banned.trim()
                ));
            }
        }
        println!("{krate}: no database crate ({edges} edges)");
    }
    Ok(())
}

/// The debug builds the end-to-end tests drive.
fn build_app_and_cli(root: &Path) -> Result {
    cmd(
        "cargo",
        &["build", "--locked", "-p", "avvik-desktop", "-p", "avvik"],
    )
    .dir(root)
    .run()
}

/// The end-to-end suite under Xvfb against the debug builds, screenshots into `out`;
/// with `docs`, the README's screenshots are copied there when every test passed.
fn end_to_end(out: &Path, docs: Option<&Path>) -> Result {
    let root = root();
    let bin = target_dir().join("debug");
    let mut command = python_under_xvfb(&root.join("tests/e2e/run.py"))
        .arg("--app")
        .arg(bin.join("avvik-desktop"))
        .arg("--cli")
        .arg(bin.join("avvik"))
        .arg("--out")
        .arg(out);
    if let Some(docs) = docs {
        command = command.arg("--docs").arg(docs);
    }
    command.dir(&root).run()
}

/// A Python script in a virtual display with its own session bus (the app's window,
/// its notifications).
fn python_under_xvfb(script: &Path) -> Cmd {
    cmd(
        "xvfb-run",
        &[
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "dbus-run-session",
            "--",
            "python3",
        ],
    )
    .arg(script)
}

/// Runs the end-to-end suite and refreshes the README's screenshots in docs/screenshots/
/// from it (the shots are listed in tests/e2e/run.py, `DOC_SHOTS`).
fn screenshots() -> Result {
    setup(true)?;
    let root = root();
    step("pngquant (makes the screenshots smaller)", || {
        install_missing(&["pngquant"])
    })?;
    step("build the app and the CLI", || build_app_and_cli(&root))?;
    step("end-to-end tests, then the README's screenshots", || {
        end_to_end(
            &target_dir().join("e2e-screenshots"),
            Some(&root.join("docs/screenshots")),
        )
    })
}

fn deb() -> Result {
    setup(false)?;
    let root = root();
    // The package ships the CLI beside the app (`/usr/bin/avvik`, tauri.conf.json).
    step("build the CLI (release)", || {
        cmd("cargo", &["build", "--release", "--locked", "-p", "avvik"])
            .dir(&root)
            .run()
    })?;
    step("bundle the .deb with the Tauri CLI", || {
        cmd(
            "npx",
            &[
                "--yes",
                "@tauri-apps/cli@2",
                "build",
                "--bundles",
                "deb",
                "--ci",
            ],
        )
        .dir(&root)
        .run()
    })?;
    println!(
        "xtask: the package is in {}",
        target_dir().join("release/bundle/deb").display()
    );
    Ok(())
}

/// The optimised build of the benchmark: the release profile without LTO and with 16
/// codegen units, defined on the command line (not in Cargo.toml), so that it builds
/// quickly on two cores and leaves `target/release` (the package's build) alone.
const BENCH_PROFILE: &[&str] = &[
    "--profile",
    "bench-fast",
    "--config",
    "profile.bench-fast.inherits=\"release\"",
    "--config",
    "profile.bench-fast.lto=false",
    "--config",
    "profile.bench-fast.codegen-units=16",
];

fn bench(args: &[String]) -> Result {
    let mut app = false;
    let mut quick = false;
    for a in args {
        match a.as_str() {
            "--app" => app = true,
            "--quick" => quick = true,
            other => return Err(format!("bench: unknown argument {other} (--app, --quick)")),
        }
    }
    let started = Instant::now();
    let root = root();
    if app {
        setup(true)?;
    } else {
        step("system packages", || {
            install_missing(&["build-essential", "pkg-config", "libssl-dev"])
        })?;
    }
    step("build the benchmark (optimised: bench-fast)", || {
        let mut args = vec!["build", "--locked", "-p", "avvik-bench"];
        if app {
            args.extend(["-p", "avvik-desktop"]);
        }
        args.extend(BENCH_PROFILE);
        cmd("cargo", &args).dir(&root).run()
    })?;
    let bin = target_dir().join("bench-fast");
    let harness = bin.join("avvik-bench");
    let cache = target_dir().join(if quick { "bench-quick" } else { "bench" });
    let size: &[&str] = if quick {
        &["--cases", "2000", "--events", "20000", "--quick"]
    } else {
        &[]
    };
    let harness_cmd = || {
        cmd(&harness.to_string_lossy(), &["--cache"])
            .arg(&cache)
            .args(size)
            .dir(&root)
    };
    step(
        "the synthetic stores (made once, then cached in target/bench)",
        || harness_cmd().arg("--generate-only").run(),
    )?;
    if app {
        step(
            "the app's cold start and memory (tests/e2e/coldstart.py)",
            || {
                python_under_xvfb(&root.join("tests/e2e/coldstart.py"))
                    .arg("--app")
                    .arg(bin.join("avvik-desktop"))
                    .arg("--out")
                    .arg(cache.join("coldstart.json"))
                    .arg("--bench-cache")
                    .arg(&cache)
                    .args(if quick {
                        &["--runs", "2", "--store-runs", "1"][..]
                    } else {
                        &[]
                    })
                    .dir(&root)
                    .run()
            },
        )?;
    }
    let out = if quick {
        cache.join("PERFORMANCE.md")
    } else {
        root.join("docs/PERFORMANCE.md")
    };
    step("measure, and write the table", || {
        harness_cmd().arg("--out").arg(&out).run()
    })?;
    println!(
        "xtask: {} written in {:.0} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The Tauri CLI refuses to bundle when the `tauri` crate and the UI's
/// `@tauri-apps/api` differ in major or minor version; catch that in the tests.
fn tauri_versions_match(root: &Path) -> Result {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"));
    let lock = read("Cargo.lock")?;
    let crate_version = lock
        .split("[[package]]")
        .find(|block| block.contains("\nname = \"tauri\"\n"))
        .and_then(|block| block.split("version = \"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .ok_or("no tauri package in Cargo.lock")?;
    let package = read("ui/package.json")?;
    let npm_version = package
        .split("\"@tauri-apps/api\": \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no @tauri-apps/api in ui/package.json")?;
    let minor = |v: &str| {
        v.trim_start_matches(['^', '~'])
            .splitn(3, '.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".")
    };
    println!("tauri {crate_version}, @tauri-apps/api {npm_version}");
    if minor(crate_version) == minor(npm_version) {
        Ok(())
    } else {
        Err(format!(
            "tauri {crate_version} and @tauri-apps/api {npm_version} differ; pin @tauri-apps/api to {}.x",
            minor(crate_version)
        ))
    }
}

/// Installs what is missing and builds the UI, so that cargo can embed it.
fn setup(for_tests: bool) -> Result {
    let mut packages = BUILD_PACKAGES.to_vec();
    if for_tests {
        packages.extend(TEST_PACKAGES);
    }
    step("system packages", || install_missing(&packages))?;
    let ui = root().join("ui");
    step("UI packages (npm install)", || {
        if npm_packages_current(&ui) {
            println!("up to date");
            return Ok(());
        }
        // Exact versions from package.json and the committed lock file. Not `npm ci`:
        // a registry mirror that lacks other platforms' optional packages (rollup's
        // native builds) yields a lock file that `npm ci` refuses as "out of sync".
        cmd("npm", &["install", "--no-audit", "--no-fund"])
            .dir(&ui)
            .run()
    })?;
    step("UI type check and build (ui/dist)", || {
        cmd("npm", &["run", "build"]).dir(&ui).run()
    })
}

/// npm writes `node_modules/.package-lock.json` on install; when it is newer than
/// the lock file, the installed packages match it.
fn npm_packages_current(ui: &Path) -> bool {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(ui.join("node_modules/.package-lock.json")),
        modified(ui.join("package-lock.json")),
    ) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    }
}

fn install_missing(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !is_installed(p))
        .collect();
    if missing.is_empty() {
        println!("all {} present", packages.len());
        return Ok(());
    }
    println!("installing: {}", missing.join(" "));
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let sudo: &[&str] = if is_root { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        cmd(all[0], &all[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install).map_err(|e| format!("{e} (installing system packages needs root or sudo)"))
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.ends_with(b"install ok installed"))
}

fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = f();
    println!(
        "<== {name}: {} in {:.1} s",
        if result.is_ok() { "done" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    result.map_err(|e| format!("{name}: {e}"))
}

/// A child process with a readable error when it fails.
struct Cmd {
    inner: Command,
    shown: String,
}

fn cmd(program: &str, args: &[&str]) -> Cmd {
    let mut inner = Command::new(program);
    inner.args(args);
    Cmd {
        inner,
        shown: std::iter::once(program)
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

impl Cmd {
    fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Cmd {
        self.shown.push(' ');
        self.shown.push_str(&arg.as_ref().to_string_lossy());
        self.inner.arg(arg);
        self
    }

    fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(mut self, args: I) -> Cmd {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    fn dir(mut self, dir: &Path) -> Cmd {
        self.inner.current_dir(dir);
        self
    }

    fn env(mut self, key: &str, value: &str) -> Cmd {
        self.inner.env(key, value);
        self
    }

    /// Runs it and returns what it printed on standard output.
    fn output(mut self) -> Result<String> {
        let out = self
            .inner
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if !out.status.success() {
            return Err(format!("`{}` failed ({})", self.shown, out.status));
        }
        String::from_utf8(out.stdout).map_err(|e| format!("`{}` printed no text: {e}", self.shown))
    }

    fn run(mut self) -> Result {
        let status = self
            .inner
            .status()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }
}
