//! Avvik's benchmark harness (issue 9). Run it with `cargo xtask bench`, which builds
//! it optimised and passes the folders; see docs/PERFORMANCE.md.
//!
//! ```text
//! avvik-bench [--cache DIR] [--out FILE] [--cases N] [--events N]
//!             [--coldstart FILE] [--generate-only] [--no-plain] [--quick] [--explain]
//! ```
//!
//! `--explain` prints the query plans and where the time of the slow figures goes
//! (see `diagnose.rs`) instead of measuring the table.
//!
//! The synthetic stores are made once and kept in `--cache` (named by the generator's
//! version, the schema version and the size), so a second run measures at once. The
//! measurements run on a fresh copy in `--cache/work`, so the cached register never
//! changes.

mod bench;
mod chain;
mod diagnose;
mod generate;
mod measure;
mod office;
mod report;
mod text;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use avvik_store_sqlite::SCHEMA_VERSION;
use serde_json::{Value, json};

use crate::generate::{GENERATOR_VERSION, Result, encryption};

#[derive(Debug, Clone)]
pub struct Args {
    pub cache: PathBuf,
    pub out: Option<PathBuf>,
    pub cases: u64,
    pub events: u64,
    pub coldstart: Option<PathBuf>,
    pub generate_only: bool,
    pub plain: bool,
    /// Fewer repetitions (a smoke run); the figures are then not for the table.
    pub quick: bool,
    pub explain: bool,
    /// `--inbox DB`: time the general manager's inbox once (the harness's child).
    pub inbox: Option<PathBuf>,
    /// With `--explain`: these stores instead of the cached ones.
    pub register: Option<PathBuf>,
    pub audit: Option<PathBuf>,
}

fn parse() -> Result<Args> {
    let mut a = Args {
        cache: PathBuf::from("target/bench"),
        out: None,
        cases: 100_000,
        events: 1_000_000,
        coldstart: None,
        generate_only: false,
        plain: true,
        quick: false,
        explain: false,
        register: None,
        audit: None,
        inbox: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--cache" => a.cache = value()?.into(),
            "--out" => a.out = Some(value()?.into()),
            "--cases" => a.cases = value()?.parse().map_err(|e| format!("--cases: {e}"))?,
            "--events" => a.events = value()?.parse().map_err(|e| format!("--events: {e}"))?,
            "--coldstart" => a.coldstart = Some(value()?.into()),
            "--generate-only" => a.generate_only = true,
            "--no-plain" => a.plain = false,
            "--quick" => a.quick = true,
            "--explain" => a.explain = true,
            "--register" => a.register = Some(value()?.into()),
            "--inbox" => a.inbox = Some(value()?.into()),
            "--audit" => a.audit = Some(value()?.into()),
            "-h" | "--help" => {
                return Err(
                    "usage: avvik-bench [--cache DIR] [--out FILE] [--cases N] [--events N] \
                            [--coldstart FILE] [--generate-only] [--no-plain] [--quick] [--explain [--register FILE --audit FILE]]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other} (try --help)")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let run = |args: Args| match &args.inbox {
        Some(db) => bench::inbox_once(db),
        None => bench::run(&args),
    };
    match parse().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("avvik-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A cached store and what is known about how it was made.
pub struct Cached {
    pub path: PathBuf,
    pub meta: Value,
}

fn meta_path(store: &Path) -> PathBuf {
    store.with_extension("json")
}

/// Where to make a store: tmpfs (`/dev/shm`) when it has room, because every write of
/// the core is a durable commit and an fsync per write would make a 100 000-case
/// register take hours on a disk; the finished file is then copied into the cache.
/// `AVVIK_BENCH_SCRATCH` overrides it.
fn scratch(bytes_needed: u64) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AVVIK_BENCH_SCRATCH") {
        return Some(PathBuf::from(dir));
    }
    let shm = Path::new("/dev/shm");
    let out = Command::new("df")
        .args(["-k", "--output=avail"])
        .arg(shm)
        .output()
        .ok()?;
    let avail_kib: u64 = String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)?
        .trim()
        .parse()
        .ok()?;
    (avail_kib * 1024 > bytes_needed).then(|| shm.to_path_buf())
}

/// An older cached store of the same kind, size and generator, made under an earlier
/// schema version: it can be brought up to date by the core's own migrations, which
/// is how a real register gets the new schema too.
fn older(cache: &Path, kind: &str, size: u64) -> Option<(PathBuf, i64)> {
    let prefix = format!("{kind}-g{GENERATOR_VERSION}-s");
    let suffix = format!("-{size}.sqlite3");
    std::fs::read_dir(cache)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?.strip_suffix(&suffix)?;
            let version: i64 = rest.split('-').next()?.parse().ok()?;
            let path = e.path();
            (version < SCHEMA_VERSION && meta_path(&path).is_file()).then_some((path, version))
        })
        .max_by_key(|(_, v)| *v)
}

/// The cached store `{kind}-g…-{schema}-{size}`: made by `make` when there is none, or
/// migrated from an older one.
fn cached(
    cache: &Path,
    kind: &str,
    size: u64,
    bytes_needed: u64,
    make: impl FnOnce(&Path) -> Result<Value>,
) -> Result<Cached> {
    let name = format!("{kind}-g{GENERATOR_VERSION}-{}-{size}", schema_key()?);
    let path = cache.join(format!("{name}.sqlite3"));
    let read_meta = |p: &Path| {
        std::fs::read_to_string(meta_path(p))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null)
    };
    if path.is_file() && meta_path(&path).is_file() {
        eprintln!("avvik-bench: using the cached {}", path.display());
        return Ok(Cached {
            meta: read_meta(&path),
            path,
        });
    }
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let (dir, on_tmpfs) = match scratch(bytes_needed) {
        Some(d) => (d.join(format!("avvik-bench-{}", std::process::id())), true),
        None => (cache.join("making"), false),
    };
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let made = dir.join("store.sqlite3");
    let old = older(cache, kind, size);
    let result = match &old {
        Some((old, version)) => {
            eprintln!(
                "avvik-bench: migrating {} (schema {version}) to schema {SCHEMA_VERSION} in {}",
                old.display(),
                dir.display()
            );
            let mut meta = read_meta(old);
            std::fs::copy(old, &made)
                .map_err(|e| format!("copying {}: {e}", old.display()))
                .and_then(|_| {
                    let (store, ms) = measure::once(|| generate::open(&made, &encryption(true)));
                    drop(store?);
                    // The core's copy of the store before the migration: not wanted here.
                    let _ = std::fs::remove_dir_all(avvik_store_sqlite::backups_dir(&made));
                    meta["migrated_from"] =
                        json!(old.file_name().map(|n| n.to_string_lossy().into_owned()));
                    meta["migration_seconds"] = json!(ms / 1e3);
                    meta["schema_version"] = json!(SCHEMA_VERSION);
                    Ok(meta)
                })
        }
        None => {
            eprintln!(
                "avvik-bench: making {name} in {} (once; it is cached in {})",
                dir.display(),
                cache.display()
            );
            make(&made).map(|mut meta| {
                meta["made_on_tmpfs"] = json!(on_tmpfs);
                meta["made_at"] = json!(chrono::Utc::now().to_rfc3339());
                meta
            })
        }
    };
    let outcome = result.and_then(|mut meta| {
        let tmp = path.with_extension("sqlite3.part");
        std::fs::copy(&made, &tmp)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("copying the store into the cache: {e}"))?;
        meta["bytes"] = json!(std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0));
        std::fs::write(meta_path(&path), format!("{meta:#}\n")).map_err(|e| e.to_string())?;
        Ok(meta)
    });
    let _ = std::fs::remove_dir_all(&dir);
    let meta = outcome?;
    if let Some((old, _)) = old {
        // Replaced by its migrated copy.
        let _ = std::fs::remove_file(meta_path(&old));
        let _ = std::fs::remove_file(&old);
    }
    Ok(Cached { meta, path })
}

/// What the cached stores depend on besides the generator: the schema of a new store
/// (a hash of its `sqlite_schema` and version), so a changed migration makes new ones.
pub fn schema_key() -> Result<String> {
    let dir = std::env::temp_dir().join(format!("avvik-bench-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("schema.sqlite3");
    drop(generate::open(
        &path,
        &avvik_store_sqlite::Encryption::None,
    )?);
    let conn = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
    let text: String = conn
        .query_row(
            "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10))
             FROM (SELECT * FROM sqlite_schema ORDER BY type, name)",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
    let hash = avvik_core::attachment::sha256_hex(format!("{SCHEMA_VERSION}\n{text}").as_bytes());
    Ok(format!("s{SCHEMA_VERSION}-{}", &hash[..8]))
}

/// The register of `cases` cases, encrypted as the app makes it.
pub fn register(cache: &Path, cases: u64) -> Result<Cached> {
    cached(cache, "register", cases, cases * 40_000, |path| {
        let (counts, seconds) = generate::register(path, &encryption(true), cases)?;
        Ok(json!({
            "generator_version": GENERATOR_VERSION,
            "schema_version": SCHEMA_VERSION,
            "generation_seconds": seconds,
            "counts": counts.to_json(),
        }))
    })
}

/// A store whose history holds `events` events.
pub fn audit_store(cache: &Path, events: u64) -> Result<Cached> {
    cached(cache, "audit", events, events * 2_000, |path| {
        let seconds = chain::store_with_events(path, &encryption(true), events)?;
        Ok(json!({
            "generator_version": GENERATOR_VERSION,
            "schema_version": SCHEMA_VERSION,
            "generation_seconds": seconds,
            "events": events,
        }))
    })
}
