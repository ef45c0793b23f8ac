//! `hocso`: serve the app (default), apply migrations, manage accounts.

use std::io::Read;
use std::net::SocketAddr;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

use app::domain::audit::Actor;
use app::domain::Role;
use app::services::accounts::{create_account, AccountSpec};
use hocso::config::{redact_url, Config, Mode, ProcessEnv};
use hocso::{backup, build_database_state, build_state, demo, import, router, seed};

#[derive(Parser)]
#[command(
    name = "hocso",
    version,
    about = "Học Số: digital skills training for local government"
)]
struct Cli {
    /// The curriculum directory (default: HOCSO_CONTENT_DIR, else ./content, else the
    /// installed copy).
    #[arg(long, global = true, value_name = "DIR")]
    content_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Write a backup of the database to FILE (SQLite: safe while serving; PostgreSQL: with
    /// pg_dump).
    Backup {
        /// The new backup file (it must not exist).
        file: std::path::PathBuf,
    },
    /// Replace the database with a backup (SQLite: stop the server first; the database it
    /// replaces is kept beside it).
    Restore {
        /// A file `hocso backup` wrote.
        file: std::path::PathBuf,
    },
    /// Create the demo accounts (development only).
    Demo,
    /// Check the curriculum.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Manage administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Import a roster of officials and volunteers, or the catalogue of communes and wards.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Generate a synthetic city for load tests and benchmarks (development only).
    Seed {
        /// Learners to create (officials, volunteers and residents).
        #[arg(long, default_value_t = 10_000)]
        learners: u64,
        /// Evidence rows per learner, on average.
        #[arg(long, default_value_t = 20)]
        evidence_per_learner: u64,
        /// Seed of the random generator.
        #[arg(long, default_value_t = 2025)]
        random_seed: u64,
    },
    /// Rebuild the dashboards' rollups from the records.
    Rollups {
        #[command(subcommand)]
        command: RollupsCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A roster CSV: every row is checked and all rows are imported, or none.
    Roster {
        file: std::path::PathBuf,
        /// Check and report, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Language of the problems reported: vi or en.
        #[arg(long, default_value = "vi")]
        lang: String,
    },
    /// The portal's statistics per unit and day, for the current campaign; all or nothing.
    Figures { file: std::path::PathBuf },
    /// Communes and wards (vietnam-units-2025.csv's columns); all or nothing.
    Units {
        file: std::path::PathBuf,
        /// The province of a file without a province_code column, e.g. 01.
        #[arg(long)]
        province: Option<String>,
        /// That province's name, e.g. "Thành phố Hà Nội".
        #[arg(long)]
        province_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum RollupsCommand {
    /// Replace the rollups with a count from the records.
    Rebuild,
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate every file; print each problem as file:line; exit non-zero on any error.
    Check {
        /// The content directory (default: the one --content-dir or HOCSO_CONTENT_DIR names).
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator; the password is read from standard input.
    Create {
        /// Full name, e.g. "Nguyễn Văn An".
        #[arg(long)]
        name: String,
        /// Email address or mobile number used to log in.
        #[arg(long)]
        contact: String,
    },
}

/// Runs the command; a failure is one paragraph on standard error (what went wrong and, where
/// it helps, what to do) and exit status 1, never a backtrace.
fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("hocso: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hocso: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Content {
        command: ContentCommand::Check { dir },
    }) = &cli.command
    {
        // Read before the rest of the configuration: checking content needs no secret.
        let dir = dir
            .clone()
            .or(cli.content_dir.clone())
            .unwrap_or_else(|| hocso::config::content_dir(&ProcessEnv));
        return content_check(&dir);
    }
    let mut config = Config::from_env(&ProcessEnv)?;
    if let Some(dir) = cli.content_dir {
        config.content_dir = dir;
    }
    let leptos_options = get_configuration(None)
        .context("reading the Leptos configuration")?
        .leptos_options;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, leptos_options).await,
        Command::Migrate => {
            build_database_state(&config, leptos_options).await?;
            println!("migrations applied to {}", redact_url(&config.database_url));
            Ok(())
        }
        Command::Backup { file } => {
            println!("{}", backup::backup(&config.database_url, &file).await?);
            Ok(())
        }
        Command::Restore { file } => {
            println!("{}", backup::restore(&config.database_url, &file).await?);
            Ok(())
        }
        Command::Demo => {
            if config.mode == Mode::Production {
                bail!("demo accounts are refused in production");
            }
            let state = build_state(&config, leptos_options).await?;
            let created = demo::seed(&state, &config.database_url).await?;
            println!("{created} demo accounts created");
            Ok(())
        }
        Command::Content { .. } => Ok(()),
        Command::Import { command } => {
            let state = build_state(&config, leptos_options).await?;
            match command {
                ImportCommand::Roster {
                    file,
                    dry_run,
                    lang,
                } => {
                    let locale = app::i18n::Locale::parse(&lang).unwrap_or_default();
                    import::roster_file(&state, &file, dry_run, locale).await
                }
                ImportCommand::Figures { file } => import::figures_file(&state, &file).await,
                ImportCommand::Units {
                    file,
                    province,
                    province_name,
                } => {
                    let province = province
                        .as_deref()
                        .map(|p| (p, province_name.as_deref().unwrap_or(p)));
                    import::units_file(&state, &file, province).await
                }
            }
        }
        Command::Seed {
            learners,
            evidence_per_learner,
            random_seed,
        } => {
            if config.mode == Mode::Production {
                bail!("the synthetic city is refused in production");
            }
            let state = build_state(&config, leptos_options).await?;
            let options = seed::Options {
                learners,
                evidence_per_learner,
                random_seed,
                database_url: config.database_url.clone(),
            };
            seed::city(&state, &options, true).await?;
            Ok(())
        }
        Command::Rollups {
            command: RollupsCommand::Rebuild,
        } => {
            let state = build_state(&config, leptos_options).await?;
            let min_percent = i64::from(state.content.framework.rule.min_percent);
            let rows = state
                .db
                .rebuild_rollups(min_percent, app::services::now())
                .await?;
            println!("rollups rebuilt: {rows} values");
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { name, contact },
        } => {
            let state = build_database_state(&config, leptos_options).await?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            let spec = AccountSpec {
                full_name: name,
                contact,
                password,
                role: Role::Admin,
                cohort: None,
                unit_code: None,
                position_code: None,
            };
            let id = create_account(&state, &spec, &Actor::command_line("admin create"))
                .await
                .map_err(|e| anyhow::anyhow!("cannot create the administrator: {e}"))?;
            println!("administrator created (account {id})");
            Ok(())
        }
    }
}

/// `hocso content check DIR`.
fn content_check(dir: &std::path::Path) -> anyhow::Result<()> {
    hocso::require_content_dir(dir)?;
    let result = app::services::load_content(dir);
    let problems = match &result {
        Ok((_, warnings)) => warnings.clone(),
        Err(problems) => problems.clone(),
    };
    for p in &problems {
        println!("{}/{p}", dir.display());
    }
    match result {
        Ok((catalog, warnings)) => {
            let lessons: usize = catalog.modules.iter().map(|m| m.lessons.len()).sum();
            let questions: usize = catalog.modules.iter().map(|m| m.quiz.questions.len()).sum();
            println!(
                "content OK: {} modules, {lessons} lessons, {questions} quiz questions, {} positions, {} competences, {} procedures with {} scenarios ({} warnings)",
                catalog.modules.len(),
                catalog.positions.len(),
                catalog.framework.competences.len(),
                catalog.sandbox.procedures.len(),
                catalog.sandbox.scenario_count(),
                warnings.len()
            );
            Ok(())
        }
        Err(problems) => {
            let errors = problems
                .iter()
                .filter(|p| p.severity == app::content::Severity::Error)
                .count();
            bail!("content check failed: {errors} errors in {}", dir.display())
        }
    }
}

async fn serve(
    config: Config,
    leptos_options: leptos::config::LeptosOptions,
) -> anyhow::Result<()> {
    let addr: SocketAddr = leptos_options.site_addr;
    tracing::info!(?config, "starting");
    // A restore waits for this to be let go: it never swaps a database out from under us.
    let _serving = backup::ServingLock::take(&config.database_url)?;
    let state = build_state(&config, leptos_options).await?;
    if config.demo {
        let created = demo::seed(&state, &config.database_url).await?;
        tracing::info!(
            created,
            "demo accounts ready (see README for their passwords)"
        );
    }
    // Verified levels lapse with time alone (evidence older than the rule's window): look at
    // the standings due every ten minutes so unit counts follow without waiting for a visit.
    let sweeper = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = app::services::competency::sweep(&sweeper).await {
                tracing::error!(error = %e, "competency sweep failed");
            }
        }
    });
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    println!("hocso is running at http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Human-readable logs in development, JSON lines in production (`HOCSO_ENV=production`).
fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let json = std::env::var("HOCSO_ENV").is_ok_and(|v| v.starts_with("prod"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
