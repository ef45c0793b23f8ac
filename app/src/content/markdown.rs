//! Lesson Markdown to safe HTML, with pulldown-cmark.
//!
//! Content is never trusted as HTML: raw HTML blocks and inline HTML become visible text, and a
//! link or image whose address is not `https:`, `http:`, `mailto:`, `tel:` or relative is
//! dropped (its text stays). Headings get ids and a self-link; tables are supported; block
//! quotes whose first line is `[!TIP]`, `[!WARNING]` or `[!MISTAKE]` become callouts.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// Localised titles of the three callout kinds.
#[derive(Clone, Debug)]
pub struct CalloutLabels {
    pub tip: String,
    pub warning: String,
    pub mistake: String,
}

/// How relative addresses in a lesson become site addresses.
pub trait LinkResolver {
    /// A lesson link (`other.md`, `../module/other.md`) to its page address, if it exists.
    fn lesson(&self, target: &str) -> Option<String>;
    /// An image path (`assets/x.svg`) to its address, if the file exists.
    fn asset(&self, target: &str) -> Option<String>;
}

/// A reference found in a lesson, for the content checker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    Link { target: String, line: usize },
    Image { target: String, line: usize },
}

/// Is `url` an address content may point to?
pub fn allowed_scheme(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // No scheme, or a colon only after a path separator: a relative address.
        None => true,
        Some((scheme, _))
            if scheme.contains('/') || scheme.contains('#') || scheme.contains('?') =>
        {
            true
        }
        Some((scheme, _)) => matches!(scheme, "https" | "http" | "mailto" | "tel"),
    }
}

fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https:", "http:", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Every link and image of `markdown`, with its line (1-based, counted within `markdown`).
pub fn references(markdown: &str) -> Vec<Reference> {
    let line_of = |offset: usize| markdown[..offset].matches('\n').count() + 1;
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(Reference::Link {
                target: dest_url.to_string(),
                line: line_of(range.start),
            }),
            Event::Start(Tag::Image { dest_url, .. }) => Some(Reference::Image {
                target: dest_url.to_string(),
                line: line_of(range.start),
            }),
            _ => None,
        })
        .collect()
}

/// Lines (1-based) holding raw HTML, which the renderer will show as text.
pub fn raw_html_lines(markdown: &str) -> Vec<usize> {
    let line_of = |offset: usize| markdown[..offset].matches('\n').count() + 1;
    let mut lines: Vec<usize> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Html(_) | Event::InlineHtml(_) => Some(line_of(range.start)),
            _ => None,
        })
        .collect();
    lines.dedup();
    lines
}

/// Renders lesson Markdown to HTML that is safe to insert into a page.
pub fn render(markdown: &str, labels: &CalloutLabels, links: &dyn LinkResolver) -> String {
    let mut events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    // A lesson that opens with a top-level heading repeats its title, which the page already
    // shows as its own heading.
    if let Some(Event::Start(Tag::Heading {
        level: HeadingLevel::H1,
        ..
    })) = events.first()
    {
        let end = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
            .unwrap_or(0);
        events.drain(..=end);
    }
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    // For each open link/image: was it kept? (Dropped ones render their text only.)
    let mut link_stack: Vec<bool> = Vec::new();
    // For each open block quote: did it become a callout?
    let mut quote_stack: Vec<bool> = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let event = events[i].clone();
        i += 1;
        match event {
            Event::Html(html) | Event::InlineHtml(html) => out.push(Event::Text(html)),
            Event::Start(Tag::BlockQuote(_)) => {
                match callout_kind(&events[i..]) {
                    Some((kind, consumed)) => {
                        let title = match kind {
                            Callout::Tip => &labels.tip,
                            Callout::Warning => &labels.warning,
                            Callout::Mistake => &labels.mistake,
                        };
                        out.push(Event::Html(CowStr::from(format!(
                            "<aside class=\"callout callout-{}\"><p class=\"callout-title\">{}</p>",
                            kind.class(),
                            escape(title)
                        ))));
                        // Keep the paragraph open: skip only the marker and its line break.
                        out.push(Event::Start(Tag::Paragraph));
                        i += consumed;
                        quote_stack.push(true);
                    }
                    None => {
                        out.push(Event::Start(Tag::BlockQuote(None)));
                        quote_stack.push(false);
                    }
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                if quote_stack.pop() == Some(true) {
                    out.push(Event::Html(CowStr::from("</aside>")));
                } else {
                    out.push(Event::End(TagEnd::BlockQuote(kind)));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let resolved = resolve(&dest_url, links, false);
                link_stack.push(resolved.is_some());
                if let Some(url) = resolved {
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if link_stack.pop() == Some(true) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                ..
            }) => {
                let resolved = resolve(&dest_url, links, true);
                link_stack.push(resolved.is_some());
                if let Some(url) = resolved {
                    out.push(Event::Start(Tag::Image {
                        link_type: LinkType::Inline,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if link_stack.pop() == Some(true) {
                    out.push(Event::End(TagEnd::Image));
                }
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let text = heading_text(&events[i..]);
                let mut anchor = slug(&text);
                if anchor.is_empty() {
                    anchor = "muc".to_owned();
                }
                let base = anchor.clone();
                let mut n = 2;
                while used_ids.contains(&anchor) {
                    anchor = format!("{base}-{n}");
                    n += 1;
                }
                used_ids.push(anchor.clone());
                out.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id: Some(CowStr::from(anchor)),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(Event::Start(Tag::Heading { id: Some(id), .. })) = out
                    .iter()
                    .rev()
                    .find(|e| matches!(e, Event::Start(Tag::Heading { .. })))
                {
                    let link = format!(
                        " <a class=\"anchor\" href=\"#{0}\" aria-hidden=\"true\">#</a>",
                        escape(id)
                    );
                    out.push(Event::Html(CowStr::from(link)));
                }
                out.push(Event::End(TagEnd::Heading(demote(level))));
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

#[derive(Clone, Copy)]
enum Callout {
    Tip,
    Warning,
    Mistake,
}

impl Callout {
    fn class(self) -> &'static str {
        match self {
            Callout::Tip => "tip",
            Callout::Warning => "warning",
            Callout::Mistake => "mistake",
        }
    }
}

/// After a block quote's start: is its first line a callout marker? Returns the kind and how
/// many events (paragraph start, marker text, line break) to skip.
fn callout_kind(rest: &[Event]) -> Option<(Callout, usize)> {
    if !matches!(rest.first(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let mut marker = String::new();
    let mut consumed = 1;
    for event in &rest[1..] {
        match event {
            Event::Text(t) => marker.push_str(t),
            Event::SoftBreak | Event::HardBreak => {
                consumed += 1;
                break;
            }
            Event::End(TagEnd::Paragraph) => break,
            _ => return None,
        }
        consumed += 1;
    }
    let kind = match marker.trim().to_ascii_uppercase().as_str() {
        "[!TIP]" => Callout::Tip,
        "[!WARNING]" => Callout::Warning,
        "[!MISTAKE]" => Callout::Mistake,
        _ => return None,
    };
    Some((kind, consumed))
}

/// Lessons are shown under the page's own `<h1>`: their headings move one level down.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

fn heading_text(rest: &[Event]) -> String {
    let mut text = String::new();
    for event in rest {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    text
}

fn resolve(url: &str, links: &dyn LinkResolver, image: bool) -> Option<String> {
    if !allowed_scheme(url) {
        return None;
    }
    if is_external(url) || url.starts_with('#') {
        return Some(url.to_owned());
    }
    if image {
        links.asset(url)
    } else {
        links.lesson(url)
    }
}

/// A heading's anchor: Vietnamese marks removed, lower case, words joined by `-`.
pub fn slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = text
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other.to_ascii_lowercase(),
        })
        .collect();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl LinkResolver for Links {
        fn lesson(&self, target: &str) -> Option<String> {
            (target == "other.md").then(|| "/learn/m/other".to_owned())
        }
        fn asset(&self, target: &str) -> Option<String> {
            (target == "assets/a.svg").then(|| "/content/m/assets/a.svg".to_owned())
        }
    }

    fn labels() -> CalloutLabels {
        CalloutLabels {
            tip: "Mẹo".into(),
            warning: "Chú ý".into(),
            mistake: "Lỗi thường gặp".into(),
        }
    }

    fn html(md: &str) -> String {
        render(md, &labels(), &Links)
    }

    #[test]
    fn hostile_markdown_is_rendered_inert() {
        let out = html(concat!(
            "<script>alert(1)</script>\n\n",
            "Text <img src=x onerror=alert(2)> and <b onclick=\"x()\">bold</b>\n\n",
            "[click](javascript:alert(3)) [data](data:text/html,<script>alert(4)</script>) ",
            "[vb](VBScript:msgbox) [spaced]( javascript:alert(5))\n\n",
            "![pixel](javascript:alert(6))\n\n",
            "<iframe src=\"https://evil.example\"></iframe>\n",
        ));
        for bad in [
            "<script",
            "<img",
            "<b ",
            "<iframe",
            "href=\"javascript",
            "href=\"data:",
            "vbscript",
        ] {
            assert!(
                !out.to_ascii_lowercase().contains(bad),
                "{bad} survived in {out}"
            );
        }
        // The text is still there, visibly.
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(out.contains("click"), "{out}");
    }

    #[test]
    fn links_and_images_are_resolved_or_dropped() {
        let out = html("[next](other.md) [gone](missing.md) [portal](https://dichvucong.gov.vn) ![alt](assets/a.svg) ![x](assets/none.png)");
        assert!(out.contains("href=\"/learn/m/other\""), "{out}");
        assert!(out.contains("href=\"https://dichvucong.gov.vn\""), "{out}");
        assert!(out.contains("src=\"/content/m/assets/a.svg\""), "{out}");
        assert!(out.contains("gone") && !out.contains("missing.md"), "{out}");
        assert!(!out.contains("none.png"), "{out}");
    }

    #[test]
    fn a_leading_title_is_dropped_and_headings_get_anchors() {
        let out =
            html("# Tiêu đề bài\n\nMở đầu.\n\n# Đăng nhập bằng VNeID\n\n## Bước 1\n\n## Bước 1\n");
        assert!(!out.contains("Tiêu đề bài"), "{out}");
        assert!(out.starts_with("<p>Mở đầu.</p>"), "{out}");
        assert!(out.contains("<h2 id=\"dang-nhap-bang-vneid\">"), "{out}");
        assert!(out.contains("href=\"#dang-nhap-bang-vneid\""), "{out}");
        assert!(
            out.contains("<h3 id=\"buoc-1\">") && out.contains("<h3 id=\"buoc-1-2\">"),
            "{out}"
        );
    }

    #[test]
    fn callouts_and_tables() {
        let out = html("> [!MISTAKE]\n> Ghi \"Việt Nam\" vào ô dân tộc.\n\n> Just a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            out.contains("<aside class=\"callout callout-mistake\">"),
            "{out}"
        );
        assert!(out.contains("Lỗi thường gặp"), "{out}");
        assert!(
            out.contains("<p>Ghi \"Việt Nam\" vào ô dân tộc.</p>"),
            "{out}"
        );
        assert!(!out.contains("[!MISTAKE]"), "{out}");
        assert!(out.contains("<blockquote>"), "{out}");
        assert!(
            out.contains("<table>") && out.contains("<td>2</td>"),
            "{out}"
        );
    }

    #[test]
    fn references_report_their_lines() {
        let refs = references("para\n\n[a](x.md)\n\n![b](assets/y.png)\n");
        assert_eq!(
            refs,
            vec![
                Reference::Link {
                    target: "x.md".into(),
                    line: 3
                },
                Reference::Image {
                    target: "assets/y.png".into(),
                    line: 5
                },
            ]
        );
        assert_eq!(raw_html_lines("a\n\n<div>x</div>\n"), vec![3]);
    }

    #[test]
    fn schemes() {
        for ok in [
            "https://x.vn",
            "http://x.vn",
            "mailto:a@b.vn",
            "tel:18001096",
            "other.md",
            "../m/l.md",
            "#h",
            "a/b:c",
        ] {
            assert!(allowed_scheme(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!allowed_scheme(bad), "{bad}");
        }
    }
}
