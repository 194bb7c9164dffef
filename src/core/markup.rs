//! The tiny inline markup allowed in locale and policy text: `[label](href)` links, `**strong**`
//! text and `{placeholder}` values. Everything else is plain text, so nothing a translator or a
//! site owner writes can become HTML or a script.

/// A run of inline content, ready to be rendered as text nodes, emphasis and links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// Text to stress (`**...**`): the right to object, the heads of a list's items.
    Strong(String),
    Link {
        label: String,
        href: String,
    },
}

/// Links may only point to https:// pages or to relative paths on the same site.
pub fn is_allowed_href(href: &str) -> bool {
    let href = href.trim();
    if href.is_empty() || href.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return false;
    }
    if let Some(rest) = href.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with('/');
    }
    // Relative: a path, a query or a fragment, but never a scheme (`javascript:`) nor `//host`.
    let before_delimiter = href.split(['/', '?', '#']).next().unwrap_or("");
    !href.starts_with("//") && !before_delimiter.contains(':')
}

/// Replaces each `{name}` whose value `lookup` knows; unknown placeholders stay as written.
pub fn fill_placeholders(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        filled.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').map(|end| (&after[..end], end)) {
            Some((name, end)) if is_placeholder_name(name) => {
                match lookup(name) {
                    Some(value) => filled.push_str(&value),
                    None => filled.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

fn is_placeholder_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Splits `template` into text, strong text and links, then fills placeholders inside each piece.
///
/// Markup is read before placeholders are filled, so a value from the configuration
/// (a company name containing `[x](javascript:...)` or `**`, say) always stays plain text. A link
/// whose target is not allowed is kept as its label alone; a `**` without its pair stays as
/// written.
pub fn render_inline(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<Inline> {
    let mut pieces = Vec::new();
    // Where the text not yet split starts, and where to look for the next `**`.
    let (mut plain, mut search) = (0, 0);
    while let Some(found) = template[search..].find("**") {
        let inner = search + found + 2;
        let strong = template[inner..].find("**").map(|length| &template[inner..inner + length]).filter(|text| {
            // As in Markdown: `** x **` is no emphasis.
            !text.is_empty() && !text.starts_with(char::is_whitespace) && !text.ends_with(char::is_whitespace)
        });
        match strong {
            Some(text) => {
                links_and_text(&template[plain..inner - 2], lookup, &mut pieces);
                pieces.push(Inline::Strong(fill_placeholders(text, lookup)));
                plain = inner + text.len() + 2;
                search = plain;
            }
            None => search = inner,
        }
    }
    links_and_text(&template[plain..], lookup, &mut pieces);
    pieces
}

/// Splits `template` (no `**` markup left in it) into text and links, filled in.
fn links_and_text(template: &str, lookup: &dyn Fn(&str) -> Option<String>, pieces: &mut Vec<Inline>) {
    let push_text = |pieces: &mut Vec<Inline>, text: String| {
        if text.is_empty() {
            return;
        }
        if let Some(Inline::Text(previous)) = pieces.last_mut() {
            previous.push_str(&text);
        } else {
            pieces.push(Inline::Text(text));
        }
    };
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        let Some((label, href, consumed)) = parse_link(&rest[open..]) else {
            push_text(pieces, fill_placeholders(&rest[..=open], lookup));
            rest = &rest[open + 1..];
            continue;
        };
        push_text(pieces, fill_placeholders(&rest[..open], lookup));
        let label = fill_placeholders(label, lookup);
        let href = fill_placeholders(href, lookup);
        if is_allowed_href(&href) {
            pieces.push(Inline::Link { label, href });
        } else {
            push_text(pieces, label);
        }
        rest = &rest[open + consumed..];
    }
    push_text(pieces, fill_placeholders(rest, lookup));
}

/// Reads `[label](href)` at the start of `text`: the label, the target and the bytes used.
fn parse_link(text: &str) -> Option<(&str, &str, usize)> {
    let label_end = text.find(']')?;
    let label = &text[1..label_end];
    if label.is_empty() || label.contains('[') {
        return None;
    }
    let after = text[label_end + 1..].strip_prefix('(')?;
    let href_end = after.find(')')?;
    let href = &after[..href_end];
    Some((label, href, label_end + 2 + href_end + 1))
}

/// Plain text of inline content, links reduced to their labels.
pub fn plain_text(pieces: &[Inline]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Inline::Text(text) | Inline::Strong(text) => text.as_str(),
            Inline::Link { label, .. } => label.as_str(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_text_is_marked_and_a_lone_pair_of_stars_stays_text() {
        let none = |_: &str| None;
        assert_eq!(
            render_inline("**Your right to object.** You can [object](#your-rights).", &none),
            [
                Inline::Strong("Your right to object.".into()),
                Inline::Text(" You can ".into()),
                Inline::Link { label: "object".into(), href: "#your-rights".into() },
                Inline::Text(".".into()),
            ]
        );
        assert_eq!(render_inline("5 ** 2 and **** too", &none), [Inline::Text("5 ** 2 and **** too".into())]);
        // A value from the configuration never becomes markup.
        let company = |name: &str| (name == "company").then(|| "**Bold** SA".to_string());
        assert_eq!(render_inline("{company}", &company), [Inline::Text("**Bold** SA".into())]);
    }

    fn values(name: &str) -> Option<String> {
        match name {
            "company" => Some("Example SA".to_string()),
            "contactUrl" => Some("/contact".to_string()),
            "evil" => Some("[click](javascript:alert(1))".to_string()),
            _ => None,
        }
    }

    #[test]
    fn allows_https_and_relative_links_only() {
        for good in ["https://example.com/privacy", "/privacy", "privacy.html", "#cookies", "?lang=fr", "../a/b"] {
            assert!(is_allowed_href(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "http://example.com",
            "data:text/html,x",
            "//evil.example",
            "mailto:a@b.c",
            "https://",
            "https:///x",
            "",
            " ",
            "java\tscript:x",
            "\\\\evil",
        ] {
            assert!(!is_allowed_href(bad), "{bad}");
        }
    }

    #[test]
    fn fills_known_placeholders_and_keeps_the_rest() {
        assert_eq!(fill_placeholders("{company} and {nobody} {", &values), "Example SA and {nobody} {");
        assert_eq!(fill_placeholders("{ company }", &values), "{ company }");
    }

    #[test]
    fn splits_links_from_text() {
        let pieces = render_inline("Ask [us]({contactUrl}) at {company}.", &values);
        assert_eq!(
            pieces,
            vec![
                Inline::Text("Ask ".into()),
                Inline::Link { label: "us".into(), href: "/contact".into() },
                Inline::Text(" at Example SA.".into()),
            ]
        );
        assert_eq!(plain_text(&pieces), "Ask us at Example SA.");
    }

    #[test]
    fn forbidden_links_become_plain_labels() {
        let pieces = render_inline("[run](javascript:void) now", &values);
        assert_eq!(pieces, vec![Inline::Text("run now".into())]);
    }

    #[test]
    fn values_never_turn_into_markup() {
        let pieces = render_inline("Hello {evil}", &values);
        assert_eq!(pieces, vec![Inline::Text("Hello [click](javascript:alert(1))".into())]);
    }

    #[test]
    fn unbalanced_brackets_stay_text() {
        let pieces = render_inline("a [b c] (d) [e](f", &values);
        assert_eq!(plain_text(&pieces), "a [b c] (d) [e](f");
        assert!(pieces.iter().all(|piece| matches!(piece, Inline::Text(_))));
    }
}
