//! The text catalogues the core writes with (CSV headers and vocabulary labels, later
//! the PDF documents). They are the same files the UI uses, `assets/i18n/*.json`, so
//! every word exists once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The language of texts the core writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Nb,
    En,
}

const NB: &str = include_str!("../../../assets/i18n/nb.json");
const EN: &str = include_str!("../../../assets/i18n/en.json");

fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    static NB_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, source) = match lang {
        Lang::Nb => (&NB_MAP, NB),
        Lang::En => (&EN_MAP, EN),
    };
    cell.get_or_init(|| {
        serde_json::from_str(source).expect("the catalogues are valid JSON (a test checks it)")
    })
}

/// The text for `key`; the key itself when the catalogue lacks it (a test makes sure
/// that never happens for the keys the core uses).
pub fn text(lang: Lang, key: &str) -> &str {
    catalogue(lang).get(key).map_or(key, String::as_str)
}

/// A language's plural category for the count `n`, as CLDR defines it for whole
/// numbers: bokmål and English both have «one» (exactly 1) and «other».
pub fn plural_category(lang: Lang, n: u64) -> &'static str {
    match lang {
        Lang::Nb | Lang::En if n == 1 => "one",
        Lang::Nb | Lang::En => "other",
    }
}

/// A count text in the form the language's plural rule chooses for `n`: the catalogue
/// has `<key>.one` and `<key>.other`, and `{n}` is the count («1 opplysning», «2
/// opplysninger»).
pub fn count_text(lang: Lang, key: &str, n: u64) -> String {
    let chosen = format!("{key}.{}", plural_category(lang, n));
    let text = catalogue(lang)
        .get(&chosen)
        .or_else(|| catalogue(lang).get(&format!("{key}.other")))
        .map_or(chosen.as_str(), String::as_str);
    text.replace("{n}", &n.to_string())
}

/// The label of a vocabulary value, e.g. `label(Lang::Nb, "incident_type", "ransomware")`.
pub fn label(lang: Lang, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}.{value}");
    catalogue(lang).get(&key).cloned().unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::*;

    #[test]
    fn every_count_text_has_both_forms_and_n_is_only_a_count() {
        for lang in [Lang::Nb, Lang::En] {
            let cat = catalogue(lang);
            for (key, value) in cat {
                if !value.contains("{n}") {
                    continue;
                }
                let base = key
                    .strip_suffix(".one")
                    .or_else(|| key.strip_suffix(".other"))
                    .unwrap_or_else(|| panic!("{key} counts with {{n}} but has no plural forms"));
                for form in ["one", "other"] {
                    assert!(cat.contains_key(&format!("{base}.{form}")), "{base}.{form}");
                }
            }
        }
        assert_eq!(
            count_text(Lang::Nb, "pdf.report.changes", 1),
            "1 opplysning endret siden forrige melding"
        );
        assert_eq!(
            count_text(Lang::En, "pdf.report.changes", 3),
            "3 details changed since the previous filing"
        );
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let mut nb: Vec<_> = catalogue(Lang::Nb).keys().collect();
        let mut en: Vec<_> = catalogue(Lang::En).keys().collect();
        nb.sort();
        en.sort();
        assert_eq!(nb, en);
    }

    #[test]
    fn every_vocabulary_value_has_a_label_in_both_languages() {
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            PersonalData::ALL
                .iter()
                .map(|v| format!("personal_data.{}", v.key())),
        );
        keys.extend(Nature::ALL.iter().map(|v| format!("nature.{}", v.key())));
        keys.extend(
            IncidentType::ALL
                .iter()
                .map(|v| format!("incident_type.{}", v.key())),
        );
        keys.extend(Cause::ALL.iter().map(|v| format!("cause.{}", v.key())));
        keys.extend(
            DataCategory::ALL
                .iter()
                .map(|v| format!("data_category.{}", v.key())),
        );
        keys.extend(
            DataSubjectCategory::ALL
                .iter()
                .map(|v| format!("data_subject.{}", v.key())),
        );
        keys.extend(
            DiscoveredBy::ALL
                .iter()
                .map(|v| format!("discovered_by.{}", v.key())),
        );
        keys.extend(
            CountKind::ALL
                .iter()
                .map(|v| format!("count_kind.{}", v.key())),
        );
        keys.extend(
            OccurredKind::ALL
                .iter()
                .map(|v| format!("occurred_kind.{}", v.key())),
        );
        for lang in [Lang::Nb, Lang::En] {
            for key in &keys {
                assert!(catalogue(lang).contains_key(key), "{lang:?} lacks {key}");
            }
        }
        assert_eq!(
            label(Lang::Nb, "incident_type", "ransomware"),
            "Løsepengevirus"
        );
        assert_eq!(text(Lang::En, "csv.reference"), "Reference");
    }
}
