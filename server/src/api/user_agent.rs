//! Reduces a User-Agent header to a browser family and major version (`Firefox 128`),
//! the most the log keeps: never the full string.

pub fn family(user_agent: &str) -> String {
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Version/", "Safari"),
    ];
    for (marker, name) in BROWSERS {
        if let Some(at) = user_agent.find(marker) {
            let major: String =
                user_agent[at + marker.len()..].chars().take_while(char::is_ascii_digit).take(4).collect();
            if name == "Safari" && !user_agent.contains("Safari/") {
                continue;
            }
            return if major.is_empty() { name.to_string() } else { format!("{name} {major}") };
        }
    }
    "other".to_string()
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn keeps_only_the_family_and_major_version() {
        let cases = [
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox 128"),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.73 Safari/537.36",
                "Chrome 156",
            ),
            ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0.2849", "Edge 130"),
            (
                "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                "Safari 17",
            ),
            ("curl/8.5.0", "other"),
            ("", "other"),
        ];
        for (header, expected) in cases {
            assert_eq!(family(header), expected, "{header}");
        }
    }
}
