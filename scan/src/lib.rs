//! consent-scan: proof that a site keeps its banner's promise. It visits each page as a visitor
//! would, in fresh browser profiles (first visit, Reject all, Accept all, withdrawal, Global
//! Privacy Control), records what the browser stores and sends, and judges it against the
//! site's configuration and a knowledge base.
//!
//! The story of a scan, one module each:
//! [`options`] (the command line) → [`chromium`] (the browser process) → [`crawl`] (which pages)
//! → [`visit`] (one page in every state, through [`tab`] and [`buttons`]) → [`observation`]
//! (what was seen) → [`judge`] (findings, with [`site_config`] and [`knowledge`]) → [`report`]
//! (terminal, JSON, HTML, `--fix`).

pub mod buttons;
pub mod chromium;
pub mod crawl;
pub mod judge;
pub mod knowledge;
pub mod observation;
pub mod options;
pub mod report;
pub mod site_config;
pub mod tab;
pub mod visit;

use chromium::Chromium;
use crawl::Crawl;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use knowledge::Knowledge;
use observation::Observation;
use options::Options;
use report::{ConfigurationSummary, PageReport, Problem, Report, SCHEMA_VERSION};
use site_config::SiteConfig;
use std::time::Instant;
use tab::Tab;
use url::Url;
use visit::PageVisit;

/// How many sitemaps a sitemap index may send the scan to.
const MAX_SITEMAPS: usize = 10;

/// Scans the site `options` names. An error means nothing could be scanned at all (no browser,
/// an unreadable sitemap); a site that answers badly is a report that says so.
pub async fn scan(options: &Options) -> Result<Report, String> {
    let started = Instant::now();
    let started_at =
        time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let knowledge = tokio::task::spawn_blocking(Knowledge::load);
    let chromium = Chromium::launch(options).await?;
    let browser = &chromium.browser;
    let mut crawl = Crawl::new(&options.start, options.pages);
    if let Some(sitemap) = &options.sitemap {
        for page in sitemap_pages(browser, sitemap, options).await? {
            crawl.offer(&page);
        }
    }
    let progress = progress_bar(options.progress);
    let mut running = FuturesUnordered::new();
    let mut visits: Vec<(usize, Url, PageVisit)> = Vec::new();
    let mut handed_out = 0;
    loop {
        while running.len() < options.jobs {
            let Some(page) = crawl.next_page() else { break };
            // The start page carries the configuration, unless a file gives it.
            let read_config = handed_out == 0 && options.config.is_none();
            let order = handed_out;
            handed_out += 1;
            running.push(async move {
                let visit = visit::visit(browser, &page, options, read_config).await;
                (order, page, visit)
            });
        }
        progress.set_length(crawl.planned() as u64);
        progress.set_position(visits.len() as u64);
        let Some((order, page, visit)) = running.next().await else { break };
        progress.set_message(report::terminal::relative(options.start.as_str(), page.as_str()));
        if options.sitemap.is_none() {
            for link in &visit.links {
                crawl.offer(link);
            }
        }
        visits.push((order, page, visit));
    }
    progress.finish_and_clear();
    drop(running);
    drop(chromium);
    visits.sort_by_key(|(order, _, _)| *order);
    let knowledge = knowledge.await.map_err(|_| "the knowledge base could not be read".to_string())?;
    Ok(assemble(options, visits, &knowledge, started_at, started.elapsed().as_secs_f64()))
}

/// The report of the visits: the configuration read, the findings judged, `--fix` written.
fn assemble(
    options: &Options,
    visits: Vec<(usize, Url, PageVisit)>,
    knowledge: &Knowledge,
    started_at: String,
    seconds: f64,
) -> Report {
    let start_visit = visits.iter().find(|(_, page, _)| *page == options.start).map(|(_, _, visit)| visit);
    let start_failed = start_visit.is_none_or(|visit| visit.problem.is_some());
    let site_config = match &options.config {
        Some(path) => SiteConfig::from_file(path),
        None => start_visit.and_then(|visit| visit.config.clone()).unwrap_or_else(SiteConfig::none),
    };
    let observations: Vec<Observation> =
        visits.iter().flat_map(|(_, _, visit)| visit.observations.iter().cloned()).collect();
    let findings = judge::judge(&observations, site_config.config.as_ref(), knowledge);
    let site_name = site_config
        .config
        .as_ref()
        .map(|config| config.company.name.clone())
        .unwrap_or_else(|| options.start.host_str().unwrap_or("").to_string());
    let fixed = options.outputs.fix.is_some().then(|| {
        let lifetimes = |name: &str| {
            observations
                .iter()
                .flat_map(|observation| observation.cookies.iter())
                .filter(|cookie| cookie.name == name)
                .filter_map(|cookie| cookie.lifetime_seconds)
                .max()
        };
        report::fix::fixed_configuration(site_config.text.as_deref(), &site_name, &findings, &lifetimes, knowledge)
    });
    let mut problems = Vec::new();
    let mut pages = Vec::new();
    for (_, page, visit) in visits {
        match visit.problem {
            Some(reason) => problems.push(Problem { page: page.to_string(), reason }),
            None => pages.push(PageReport {
                url: page.to_string(),
                states: visit.observations,
                not_reached: visit.not_reached,
            }),
        }
    }
    Report {
        version: SCHEMA_VERSION,
        tool: format!("consent-scan {}", env!("CARGO_PKG_VERSION")),
        site: options.start.to_string(),
        started_at,
        seconds,
        configuration: ConfigurationSummary {
            source: site_config.source.clone(),
            revision: site_config.config.as_ref().map(|config| config.revision),
            categories: site_config
                .config
                .as_ref()
                .map(|config| config.categories.iter().map(|category| category.id.clone()).collect())
                .unwrap_or_default(),
            problem: site_config.problem.clone(),
        },
        summary: Default::default(),
        exit_status: 0,
        findings,
        problems,
        pages,
        fixed,
    }
    .finish(start_failed)
}

/// The pages a sitemap lists, following a sitemap index one level down.
async fn sitemap_pages(
    browser: &chromiumoxide::Browser,
    sitemap: &Url,
    options: &Options,
) -> Result<Vec<String>, String> {
    let tab = Tab::open(browser, false, options.page_timeout).await?;
    let mut pages = Vec::new();
    let mut queue = vec![sitemap.to_string()];
    let mut read = 0;
    let mut problem = None;
    while let Some(address) = queue.pop() {
        read += 1;
        if read > MAX_SITEMAPS {
            break;
        }
        let xml = match tab.go(&address).await {
            Ok(arrival) if arrival.status < 400 => {
                tab.eval::<String>("new XMLSerializer().serializeToString(document)").await
            }
            Ok(arrival) => Err(format!("HTTP {}", arrival.status)),
            Err(error) => Err(error),
        };
        match xml {
            Ok(xml) => {
                let (found, more) = crawl::read_sitemap(&xml);
                pages.extend(found);
                queue.extend(more);
            }
            Err(error) => {
                problem = Some(format!("cannot read the sitemap {address}: {error}"));
                break;
            }
        }
    }
    tab.close(browser).await;
    match problem {
        Some(problem) => Err(problem),
        None if pages.is_empty() => Err(format!("the sitemap {sitemap} lists no page")),
        None => Ok(pages),
    }
}

fn progress_bar(shown: bool) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(1);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {bar:30} {pos}/{len} pages  {wide_msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
