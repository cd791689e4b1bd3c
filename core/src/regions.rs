//! The AWS regions a config may name, with their partition: `data/regions.json`, extracted from
//! cfn-lint 1.58 by `scripts/extract-regions.py` (CI checks it is current), embedded.

use std::sync::OnceLock;

/// The embedded region table (see `scripts/extract-regions.py`).
pub const REGIONS_JSON: &str = include_str!("../data/regions.json");

#[derive(serde::Deserialize)]
struct Table<'a> {
    #[serde(borrow)]
    regions: Vec<(&'a str, &'a str)>,
}

/// Every (region code, partition), sorted by code. The `region` enum of the config schema lists
/// the same codes in the same order (a test checks both).
pub fn all() -> &'static [(&'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<Table>(REGIONS_JSON)
            .map(|t| t.regions)
            .unwrap_or_default()
    })
}

/// The ARN partition of a known region.
pub fn partition(region: &str) -> Option<&'static str> {
    all().iter().find(|(r, _)| *r == region).map(|(_, p)| *p)
}

/// The region's short code, for names that cannot afford the full code (`us-west-2` → `usw2`,
/// `ap-southeast-1` → `apse1`, `us-gov-west-1` → `usgw1`): the country part, the first letter
/// of each further word (two for the compound directions), and the number. A test checks the
/// codes of [`all`] are distinct.
pub fn short_code(region: &str) -> String {
    let mut out = String::with_capacity(6);
    for (i, word) in region.split('-').enumerate() {
        if i == 0 || word.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(word);
            continue;
        }
        let compound = ["north", "south"]
            .into_iter()
            .find_map(|first| word.strip_prefix(first).map(|rest| (first, rest)))
            .filter(|(_, rest)| !rest.is_empty());
        match compound {
            Some((first, rest)) => {
                out.extend(first.chars().next());
                out.extend(rest.chars().next());
            }
            None => out.extend(word.chars().next()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_and_knows_new_regions() {
        assert_eq!(all().len(), 38);
        assert_eq!(partition("ap-southeast-6"), Some("aws"));
        assert_eq!(partition("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition("us-iso-east-1"), None);
        assert!(
            all().windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no duplicates"
        );
    }

    #[test]
    fn short_codes_are_distinct_and_short() {
        let mut seen = std::collections::BTreeMap::new();
        for (region, _) in all() {
            let code = short_code(region);
            assert!(code.len() <= 6, "{region}: {code}");
            if let Some(other) = seen.insert(code.clone(), *region) {
                unreachable!("{region} and {other} share the code {code}");
            }
        }
        for (region, code) in [
            ("us-west-2", "usw2"),
            ("ap-southeast-1", "apse1"),
            ("ap-northeast-3", "apne3"),
            ("cn-northwest-1", "cnnw1"),
            ("us-gov-west-1", "usgw1"),
            ("eu-central-2", "euc2"),
        ] {
            assert_eq!(short_code(region), code);
        }
    }
}
