//! What a reader of a translated edition sees, as `language.js` measured it in the browser:
//! a page must be in the translation's language, and its letters must be drawn.

use super::{body_attribute, text_of};
use std::path::Path;

/// The share of a translated page's text blocks (outside code, output and diagrams) that
/// must hold Hangul. A translated page has nearly all of them (the English left in one is
/// a title or a name in a heading of the references page); a page left in English has
/// none: below half, the page is mostly English.
pub const SMALLEST_TRANSLATED_SHARE: f64 = 0.5;

#[derive(Debug, serde::Deserialize)]
struct Measured {
    blocks: usize,
    blocks_with_hangul: usize,
    hangul_renders: bool,
}

/// The problems of one page of a Korean edition, from its dumped DOM.
pub fn problems(dom: &str) -> Vec<String> {
    let Some(measured) = body_attribute(dom, "data-ptm-language") else {
        return vec!["its language was never measured (did the page's scripts run?)".into()];
    };
    let measured: Measured = match serde_json::from_str(&measured) {
        Ok(measured) => measured,
        Err(error) => return vec![format!("its language measurement does not read: {error}")],
    };
    let mut problems = Vec::new();
    if !measured.hangul_renders {
        problems.push(
            "Hangul shows as empty boxes: no installed font has it (install Debian's \
             fonts-noto-cjk; .ci/run does)"
                .to_owned(),
        );
    }
    let share = if measured.blocks == 0 {
        1.0
    } else {
        measured.blocks_with_hangul as f64 / measured.blocks as f64
    };
    if share < SMALLEST_TRANSLATED_SHARE {
        problems.push(format!(
            "mostly English: {} of its {} text blocks hold Korean (at least {:.0} % must); is \
             the page translated in po/ko.po, and was the book built with `--lang ko`?",
            measured.blocks_with_hangul,
            measured.blocks,
            SMALLEST_TRANSLATED_SHARE * 100.0
        ));
    }
    problems
}

/// A translated edition's search index must hold its own language's words.
pub fn search_index_problems(book: &Path) -> anyhow::Result<Vec<String>> {
    let index = std::fs::read_dir(book)?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("searchindex") && n.ends_with(".js"))
        });
    let Some(index) = index else {
        return Ok(Vec::new()); // the English check already says the index is missing
    };
    let text = text_of(&index)?;
    let hangul = text
        .chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
        .count();
    Ok(if hangul == 0 {
        vec!["the search index holds no Korean: a reader's Korean words would find nothing".into()]
    } else {
        Vec::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dom(json: &str) -> String {
        format!("<html><body data-ptm-language='{json}'></body></html>")
    }

    #[test]
    fn a_translated_page_with_hangul_drawn_passes() {
        let page = dom(r#"{"blocks": 40, "blocks_with_hangul": 38, "hangul_renders": true}"#);
        assert!(problems(&page).is_empty());
    }

    #[test]
    fn a_page_left_in_english_or_drawn_as_boxes_fails() {
        let english = dom(r#"{"blocks": 40, "blocks_with_hangul": 2, "hangul_renders": true}"#);
        assert!(problems(&english)[0].contains("mostly English: 2 of its 40"));
        let boxes = dom(r#"{"blocks": 40, "blocks_with_hangul": 40, "hangul_renders": false}"#);
        assert!(problems(&boxes)[0].contains("empty boxes"));
        assert!(problems("<html><body></body></html>")[0].contains("never measured"));
    }
}
