//! Text normalisation shared by every rule that compares what people type.

/// NFC-normalises `input`, trims it and collapses runs of whitespace into one space.
///
/// Vietnamese text arrives both precomposed and decomposed (and with the tone mark on either
/// vowel, see [`fold_tone_placement`]); everything stored or compared goes through here first.
pub fn normalize(input: &str) -> String {
    nfc(input).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Unicode NFC (the same standard algorithm on both sides).
#[cfg(not(target_arch = "wasm32"))]
fn nfc(input: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    input.nfc().collect()
}

/// Unicode NFC by the browser's `String.prototype.normalize`, which keeps the normalisation
/// tables out of the page's wasm.
#[cfg(target_arch = "wasm32")]
fn nfc(input: &str) -> String {
    js_sys::JsString::from(input).normalize("NFC").into()
}

/// Maps the "new style" tone placement to the traditional one, so "Hoà" and "Hòa" compare equal.
///
/// Only the diphthongs oa, oe and uy differ between the two conventions. The result is NFC.
pub fn fold_tone_placement(input: &str) -> String {
    const PAIRS: [(&str, &str); 30] = [
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oè", "òe"),
        ("oé", "óe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
        ("Oà", "Òa"),
        ("Oá", "Óa"),
        ("Oả", "Ỏa"),
        ("Oã", "Õa"),
        ("Oạ", "Ọa"),
        ("Oè", "Òe"),
        ("Oé", "Óe"),
        ("Oẻ", "Ỏe"),
        ("Oẽ", "Õe"),
        ("Oẹ", "Ọe"),
        ("Uỳ", "Ùy"),
        ("Uý", "Úy"),
        ("Uỷ", "Ủy"),
        ("Uỹ", "Ũy"),
        ("Uỵ", "Ụy"),
    ];
    let mut out = normalize(input);
    for (new_style, old_style) in PAIRS {
        if out.contains(new_style) {
            out = out.replace(new_style, old_style);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_composes_and_collapses_spaces() {
        // "Nguyễn" written with combining marks (e + circumflex + tilde).
        let decomposed = "  Nguye\u{0302}\u{0303}n   Văn\tAn ";
        assert_eq!(normalize(decomposed), "Nguyễn Văn An");
    }

    #[test]
    fn both_tone_placements_fold_to_one() {
        assert_eq!(fold_tone_placement("Hoà"), fold_tone_placement("Hòa"));
        assert_eq!(fold_tone_placement("Thuỷ"), fold_tone_placement("Thủy"));
        assert_eq!(fold_tone_placement("Khoẻ"), "Khỏe");
        assert_ne!(fold_tone_placement("Hoa"), fold_tone_placement("Hòa"));
    }
}
