//! The command line: argument parsing, printing and exit codes (0 ok, 1 content errors,
//! 2 usage errors).

use crate::commands::build::{self, Options};
use crate::commands::report::{self, Format};
use crate::commands::{check, scaffold, serve};
use crate::date::Date;
use crate::diag::{lints, Diagnostic, Diagnostics, Severity};
use crate::markdown::Mode;
use crate::model::Classification;
use crate::util::count;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "planboek", version, about = "Publishes plans of approach as a static HTML handbook")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `--today`, shared by build and check.
#[derive(Debug, clap::Args)]
struct Today {
    /// The reference date: actions due before it are overdue, and pages show it as their
    /// build date [default: the day of SOURCE_DATE_EPOCH when set, else today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = |s: &str| s.parse::<Date>())]
    today: Option<Date>,
}

/// The output formats of `planboek check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
    Gitlab,
    Sarif,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Gitlab => Format::Gitlab,
            FormatArg::Sarif => Format::Sarif,
        }
    }
}

/// `--audience`, shared by build, check and serve.
#[derive(Debug, clap::Args)]
struct Audience {
    /// Leave out every section classified above this level [default: from planboek.toml, else intern].
    #[arg(
        long,
        value_name = "LEVEL",
        value_parser = PossibleValuesParser::new(Classification::NAMES).try_map(|s| s.parse::<Classification>())
    )]
    audience: Option<Classification>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the handbook into a folder of static HTML.
    Build {
        /// The plan repository (the folder holding planboek.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Output folder [default: SITE_DIR/site].
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        audience: Audience,
        /// Show the template's guidance and unfilled blanks prominently, for editors.
        #[arg(long)]
        preview: bool,
        /// Replace the output folder even when it holds files planboek did not write (or .git/).
        #[arg(long)]
        force: bool,
        /// Also build plans and sections marked `draft = true` (--preview always does).
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        today: Today,
    },
    /// Report everything unfinished or broken in the plans, at file:line:col.
    Check {
        /// The plan repository (the folder holding planboek.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// How to print the findings.
        #[arg(long, value_enum, default_value = "human")]
        format: FormatArg,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
        /// Also check plans and sections marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        audience: Audience,
        #[command(flatten)]
        today: Today,
    },
    /// Preview the handbook in the browser, rebuilt and reloaded on every save.
    Serve {
        /// The plan repository (the folder holding planboek.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Port to listen on; the next free one is tried when it is taken.
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback shows the handbook to the network.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the handbook in the browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        audience: Audience,
        /// Also serve every version of [versions] in planboek.toml, with the working tree as `current`.
        #[arg(long)]
        versions: bool,
        /// Also answer requests for this host name (repeatable); localhost, IP addresses and,
        /// with --bind beyond loopback, this machine's names are always answered.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Create a new plan repository with one plan from the template.
    Init {
        /// Where to create it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Folder name of the plan under content/ [default: jeugdgroep-<group>, else nieuwe-jeugdgroep].
        #[arg(long, value_name = "PLAN_SLUG", value_parser = scaffold::parse_slug)]
        plan: Option<String>,
        /// The group's name; fills <NAAM GROEP>.
        #[arg(long, value_name = "NAME")]
        group: Option<String>,
        /// The municipality; fills <NAAM GEMEENTE>.
        #[arg(long, value_name = "NAME")]
        municipality: Option<String>,
    },
    /// Add a plan from the template to the repository in the current folder.
    New {
        /// Folder name of the plan under content/, e.g. jeugdgroep-de-haven.
        #[arg(value_parser = scaffold::parse_slug)]
        plan_slug: String,
        /// The group's name; fills <NAAM GROEP>.
        #[arg(long, value_name = "NAME")]
        group: Option<String>,
        /// The municipality; fills <NAAM GEMEENTE>.
        #[arg(long, value_name = "NAME")]
        municipality: Option<String>,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Build {
            site_dir,
            out,
            audience: Audience { audience },
            preview,
            force,
            drafts,
            today: Today { today },
        } => {
            let mode = if preview { Mode::Preview } else { Mode::Publish };
            with_today(today, |today| run_build(&Options { root: site_dir, out, audience, mode, force, drafts }, today))
        }
        Command::Check {
            site_dir,
            format,
            strict,
            drafts,
            audience: Audience { audience },
            today: Today { today },
        } => with_today(today, |today| run_check(&site_dir, format.into(), strict, audience, drafts, today)),
        Command::Serve { site_dir, port, bind, open, audience: Audience { audience }, versions, allow_host } => {
            let opts = serve::Options { root: site_dir, port, bind, open, audience, versions, allow_hosts: allow_host };
            with_today(None, |today| serve::run(&opts, today))
        }
        Command::Init { dir, plan, group, municipality } => {
            let first = scaffold::FirstPlan {
                slug: plan.as_deref(),
                group: group.as_deref(),
                municipality: municipality.as_deref(),
            };
            report_scaffold(scaffold::init(&dir, &first))
        }
        Command::New { plan_slug, group, municipality } => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            report_scaffold(scaffold::new_plan(&here, &plan_slug, group.as_deref(), municipality.as_deref()))
        }
    }
}

/// Lints about the template's blanks, which `build` counts rather than lists: `check` lists them.
const BLANKS: [&str; 3] = [lints::UNFILLED_PLACEHOLDER.code, lints::GUIDANCE_LEFT.code, lints::UNDECIDED_CHOICE.code];

/// Runs `command` with the reference date of this run: computed once, here.
fn with_today(pinned: Option<Date>, command: impl FnOnce(Date) -> ExitCode) -> ExitCode {
    match Date::reference(pinned) {
        Ok(today) => command(today),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_build(opts: &Options, today: Date) -> ExitCode {
    let started = std::time::Instant::now();
    let result = build::build(opts, today);
    let diagnostics = match &result {
        Ok((built, _)) => &built.diagnostics,
        Err(ds) => ds,
    };
    let blanks = print_diagnostics(diagnostics, |d| d.severity >= Severity::Warning && !BLANKS.contains(&d.code));
    let warnings = diagnostics.warnings() - blanks;
    if blanks > 0 {
        let blanks = count(blanks, "unfilled template blank", "unfilled template blanks");
        eprintln!("note: {blanks}; `planboek check` lists them");
    }
    match result {
        Ok((built, out)) => {
            for older in &built.older_versions {
                let n = older.warnings;
                eprintln!(
                    "note: older version `{}`: {n} {}, counted, not listed (an adopted version is not edited)",
                    older.version,
                    if n == 1 { "warning" } else { "warnings" }
                );
            }
            println!(
                "built {}, {}, {}{} in {:.2} s → {}{}",
                count(built.plans, "plan", "plans"),
                count(built.pages, "page", "pages"),
                count(warnings, "warning", "warnings"),
                drafts_note(built.drafts_left_out),
                started.elapsed().as_secs_f64(),
                out.display(),
                kept_note(&built)
            );
            // The process ends here: freeing every page's facts one by one took tens of
            // milliseconds of a large handbook's rebuild.
            std::mem::forget(built);
            ExitCode::SUCCESS
        }
        Err(ds) => {
            let errors = ds.errors();
            let out = opts.out.clone().unwrap_or_else(|| opts.root.join("site"));
            let kept = if out.is_dir() { "the previous output was left as it was" } else { "nothing was written" };
            let (errors, warnings) = (count(errors, "error", "errors"), count(warnings, "warning", "warnings"));
            eprintln!("build failed: {errors}, {warnings}; {kept}");
            ExitCode::from(1)
        }
    }
}

/// What the summary says of an output kept whole, or of plans taken from it; empty for
/// neither.
fn kept_note(built: &crate::pipeline::Built) -> String {
    if built.kept {
        " (nothing changed since the last build: its output was kept)".into()
    } else if built.plans_kept > 0 {
        let plans = count(built.plans_kept, "plan", "plans");
        if built.kept_from_version {
            format!(" ({plans} of the newest version unchanged since the version before: taken from its build)")
        } else {
            format!(" ({plans} unchanged since the last build: taken from its output)")
        }
    } else {
        String::new()
    }
}

/// The summary's count of drafts left out, with how to include them; empty for none.
fn drafts_note(left_out: usize) -> String {
    match left_out {
        0 => String::new(),
        n => format!(", {} left out (--drafts builds {})", drafts_noun(n), it_them(n)),
    }
}

/// "1 draft", "2 drafts".
fn drafts_noun(n: usize) -> String {
    format!("{n} draft{}", if n == 1 { "" } else { "s" })
}

fn it_them(n: usize) -> &'static str {
    if n == 1 {
        "it"
    } else {
        "them"
    }
}

fn run_check(
    root: &Path,
    format: Format,
    strict: bool,
    audience: Option<Classification>,
    drafts: bool,
    today: Date,
) -> ExitCode {
    let check::Checked { diagnostics: ds, plans, drafts_left_out } = check::check(root, audience, drafts, today);
    let report = report::report(&ds, format, root, plans);
    print!("{report}");
    if format == Format::Human && drafts_left_out > 0 {
        eprintln!("note: {} not checked; --drafts checks {}", drafts_noun(drafts_left_out), it_them(drafts_left_out));
    }
    let failed = ds.has_errors() || (strict && ds.warnings() > 0);
    ExitCode::from(u8::from(failed))
}

/// Prints the diagnostics `show` selects to stderr; returns how many blank-lint warnings were held back.
fn print_diagnostics(ds: &Diagnostics, show: impl Fn(&Diagnostic) -> bool) -> usize {
    use std::io::Write;
    // Buffered: stderr writes each piece of a line at once, two or more system calls per
    // diagnostic, and a large repository has tens of thousands. A closed stderr is no
    // reason to fail the build, so write errors are dropped.
    let mut err = std::io::BufWriter::with_capacity(64 << 10, std::io::stderr().lock());
    let mut held = 0;
    for d in &ds.0 {
        if show(d) {
            let _ = writeln!(err, "{d}");
        } else if d.severity == Severity::Warning {
            held += 1;
        }
    }
    let _ = err.flush();
    held
}

fn report_scaffold(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
