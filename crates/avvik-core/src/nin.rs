//! Norwegian national identity numbers (fødselsnummer and D-nummer) in free text.
//!
//! The register must not become a list of the people affected, so free text that
//! holds an identity number is flagged before submit and can be masked in place.
//! A number counts when it is 11 digits (optionally written `DDMMYY NNNNN`) that are
//! not part of a longer number, whose date part is plausible (D-nummer adds 40 to the
//! day; H-numbers and synthetic test numbers add 40 or 80 to the month) and whose two
//! mod-11 check digits are valid. An 11-digit account number fails the check digits
//! (or the date) and is left alone.

use std::ops::Range;

const K1_WEIGHTS: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// What a mask puts in place of each digit.
pub const MASK_CHAR: char = '*';

/// The check digit for `digits` with `weights`, or `None` when the sum leaves remainder 1
/// (no valid number has that).
fn check_digit(digits: &[u32], weights: &[u32]) -> Option<u32> {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

/// Whether 11 digits form a valid fødselsnummer or D-nummer.
pub fn is_valid(digits: &[u32; 11]) -> bool {
    let mut day = digits[0] * 10 + digits[1];
    let mut month = digits[2] * 10 + digits[3];
    if day > 40 {
        day -= 40; // D-nummer
    }
    if month > 80 {
        month -= 80; // synthetic test numbers
    } else if month > 40 {
        month -= 40; // H-number
    }
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return false;
    }
    check_digit(&digits[..9], &K1_WEIGHTS) == Some(digits[9])
        && check_digit(&digits[..10], &K2_WEIGHTS) == Some(digits[10])
}

/// The byte ranges of every identity number in `text`.
pub fn find(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let runs = digit_runs(bytes);
    let mut found = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let run = runs[i].clone();
        if run.len() == 11 {
            if valid_digits(bytes, std::slice::from_ref(&run)) {
                found.push(run);
            }
        } else if run.len() == 6 {
            // `DDMMYY NNNNN`: six digits, one space, five digits.
            if let Some(next) = runs.get(i + 1) {
                let gap = &bytes[run.end..next.start];
                let spaced = next.len() == 5 && (gap == b" " || gap == "\u{a0}".as_bytes());
                if spaced && valid_digits(bytes, &[run.clone(), next.clone()]) {
                    found.push(run.start..next.end);
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// Whether `text` holds an identity number.
pub fn contains(text: &str) -> bool {
    !find(text).is_empty()
}

/// `text` with every digit of every identity number replaced by [`MASK_CHAR`].
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in find(text) {
        out.push_str(&text[last..range.start]);
        out.extend(
            text[range.clone()]
                .chars()
                .map(|c| if c.is_ascii_digit() { MASK_CHAR } else { c }),
        );
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Maximal runs of ASCII digits.
fn digit_runs(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, b) in bytes.iter().enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(s..bytes.len());
    }
    runs
}

fn valid_digits(bytes: &[u8], parts: &[Range<usize>]) -> bool {
    let digits: Vec<u32> = parts
        .iter()
        .flat_map(|r| bytes[r.clone()].iter().map(|b| u32::from(b - b'0')))
        .collect();
    digits.try_into().is_ok_and(|d: [u32; 11]| is_valid(&d))
}

/// A valid number for other modules' tests.
#[cfg(test)]
pub(crate) mod tests_support {
    /// A synthetic (test) fødselsnummer with valid check digits: day 15, month 87 (7 + 80).
    pub fn valid_example() -> String {
        let first9 = [1, 5, 8, 7, 8, 5, 4, 2, 1];
        let k1 = super::check_digit(&first9, &super::K1_WEIGHTS);
        let mut d = first9.to_vec();
        d.push(k1.expect("chosen so that k1 exists"));
        let k2 = super::check_digit(&d, &super::K2_WEIGHTS).expect("chosen so that k2 exists");
        d.push(k2);
        d.iter().map(|n| char::from(b'0' + *n as u8)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completes nine digits with both check digits, when they exist.
    fn complete(first9: &str) -> Option<String> {
        let mut d: Vec<u32> = first9.bytes().map(|b| u32::from(b - b'0')).collect();
        let k1 = check_digit(&d, &K1_WEIGHTS)?;
        d.push(k1);
        let k2 = check_digit(&d, &K2_WEIGHTS)?;
        Some(format!("{first9}{k1}{k2}"))
    }

    /// Some valid numbers: ordinary, D-nummer (day + 40), H-number, synthetic (month + 80).
    fn valid_numbers() -> Vec<String> {
        ["150785", "010190", "311299", "550785", "018590", "154785"]
            .iter()
            .filter_map(|date| (100..999).find_map(|n| complete(&format!("{date}{n:03}"))))
            .collect()
    }

    #[test]
    fn valid_numbers_are_found_alone_and_in_text() {
        let numbers = valid_numbers();
        assert_eq!(numbers.len(), 6);
        for n in &numbers {
            assert!(contains(n), "{n}");
            let text = format!("Lønnsslipp for Åse (fnr. {n}) ble sendt feil.");
            let found = find(&text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(&text[found[0].clone()], n.as_str());
            let spaced = format!("{} {}", &n[..6], &n[6..]);
            assert_eq!(find(&format!("fnr {spaced}.")).len(), 1, "{spaced}");
        }
    }

    #[test]
    fn a_wrong_check_digit_is_not_a_number() {
        for n in valid_numbers() {
            for (pos, delta) in [(9, 1), (10, 1), (10, 5), (3, 1)] {
                let mut d: Vec<u8> = n.bytes().collect();
                d[pos] = b'0' + (d[pos] - b'0' + delta) % 10;
                let changed = String::from_utf8(d).unwrap();
                assert!(!contains(&changed), "{changed} (from {n}) was flagged");
            }
        }
    }

    #[test]
    fn account_numbers_and_longer_numbers_are_left_alone() {
        // An 11-digit bank account number: its date part is impossible.
        assert!(!contains("Kontonummer 12345678903"));
        assert!(!contains("Kontonummer 1234.56.78903"));
        let n = &valid_numbers()[0];
        // The same digits inside a longer number or with digits glued on.
        assert!(!contains(&format!("{n}7")));
        assert!(!contains(&format!("9{n}")));
        assert!(!contains(&format!("ordre {}-{}", &n[..6], &n[6..])));
        assert!(!contains("Telefon 22 33 44 55, org.nr. 974 760 673"));
    }

    #[test]
    fn masking_hides_the_digits_and_keeps_the_rest() {
        let n = &valid_numbers()[1];
        let text = format!("Gjelder {n} og {} {}; konto 12345678903.", &n[..6], &n[6..]);
        assert_eq!(
            mask(&text),
            "Gjelder *********** og ****** *****; konto 12345678903."
        );
        assert_eq!(mask("Ingen nummer her: æøå"), "Ingen nummer her: æøå");
    }
}
