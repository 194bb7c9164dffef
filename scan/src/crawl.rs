//! Which pages a scan visits: the start page, then the same-origin links found on the pages
//! visited (breadth first), or the pages a sitemap lists; never more than `--pages`.

use std::collections::{BTreeSet, VecDeque};
use url::Url;

/// Addresses that are not pages (a visitor's browser would download them).
const NOT_PAGES: [&str; 24] = [
    ".pdf", ".zip", ".gz", ".tar", ".dmg", ".exe", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".mp3",
    ".mp4", ".webm", ".mov", ".avi", ".css", ".js", ".json", ".xml", ".woff", ".woff2",
];

/// The pages to visit, in order, each at most once.
pub struct Crawl {
    origin: url::Origin,
    limit: usize,
    queued: VecDeque<Url>,
    known: BTreeSet<String>,
}

impl Crawl {
    pub fn new(start: &Url, limit: usize) -> Crawl {
        let mut crawl = Crawl { origin: start.origin(), limit, queued: VecDeque::new(), known: BTreeSet::new() };
        crawl.offer(start.as_str());
        crawl
    }

    /// Queues `link` if it is a page of the site not seen before, while there is room.
    pub fn offer(&mut self, link: &str) {
        let Some(page) = page_address(link, &self.origin) else { return };
        if self.known.len() >= self.limit {
            return;
        }
        if self.known.insert(page.to_string()) {
            self.queued.push_back(page);
        }
    }

    /// The next page to visit.
    pub fn next_page(&mut self) -> Option<Url> {
        self.queued.pop_front()
    }

    /// How many pages the scan will visit, as far as it knows now.
    pub fn planned(&self) -> usize {
        self.known.len()
    }
}

/// `link` as a page of `origin`: same scheme, host and port, no fragment, not a file.
fn page_address(link: &str, origin: &url::Origin) -> Option<Url> {
    let mut url = Url::parse(link).ok()?;
    if url.origin() != *origin {
        return None;
    }
    url.set_fragment(None);
    let path = url.path().to_ascii_lowercase();
    if NOT_PAGES.iter().any(|extension| path.ends_with(extension)) {
        return None;
    }
    Some(url)
}

/// The page addresses of a sitemap (`<loc>` of `<url>`) and the sitemaps of a sitemap index
/// (`<loc>` of `<sitemap>`): (pages, sitemaps).
pub fn read_sitemap(xml: &str) -> (Vec<String>, Vec<String>) {
    let mut pages = Vec::new();
    let mut sitemaps = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<loc>") {
        let before = &rest[..at];
        let after = &rest[at + 5..];
        let Some(end) = after.find("</loc>") else { break };
        let location = unescape(after[..end].trim());
        // Inside <sitemap> when the last opening tag before it is <sitemap>.
        let in_sitemap =
            before.rfind("<sitemap>").is_some_and(|open| before.rfind("<url>").is_none_or(|url| open > url));
        if in_sitemap {
            sitemaps.push(location)
        } else {
            pages.push(location)
        }
        rest = &after[end + 6..];
    }
    (pages, sitemaps)
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_the_site_each_once_up_to_the_limit() {
        let start = Url::parse("https://shop.example/").unwrap();
        let mut crawl = Crawl::new(&start, 3);
        for link in [
            "https://shop.example/#top",
            "https://shop.example/about",
            "https://shop.example/about#team",
            "http://shop.example/insecure",
            "https://other.example/",
            "https://shop.example/brochure.PDF",
            "mailto:hello@shop.example",
            "https://shop.example/contact",
            "https://shop.example/more",
        ] {
            crawl.offer(link);
        }
        let pages: Vec<String> = std::iter::from_fn(|| crawl.next_page()).map(|url| url.to_string()).collect();
        assert_eq!(pages, ["https://shop.example/", "https://shop.example/about", "https://shop.example/contact"]);
        assert_eq!(crawl.planned(), 3);
    }

    #[test]
    fn sitemaps_and_sitemap_indexes() {
        let index = "<sitemapindex><sitemap><loc>https://shop.example/pages.xml</loc></sitemap></sitemapindex>";
        assert_eq!(read_sitemap(index), (vec![], vec!["https://shop.example/pages.xml".to_string()]));
        let pages = "<urlset><url><loc> https://shop.example/a?x=1&amp;y=2 </loc></url><url><loc>https://shop.example/b</loc></url></urlset>";
        assert_eq!(
            read_sitemap(pages).0,
            ["https://shop.example/a?x=1&y=2".to_string(), "https://shop.example/b".to_string()]
        );
    }
}
