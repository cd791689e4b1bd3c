//! The AWS regions a config may name, with their partition.

/// (region code, partition). Keep in step with the `region` enum of the config schema
/// (a test checks both lists are equal).
pub const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "aws"),
    ("us-east-2", "aws"),
    ("us-west-1", "aws"),
    ("us-west-2", "aws"),
    ("af-south-1", "aws"),
    ("ap-east-1", "aws"),
    ("ap-east-2", "aws"),
    ("ap-south-1", "aws"),
    ("ap-south-2", "aws"),
    ("ap-northeast-1", "aws"),
    ("ap-northeast-2", "aws"),
    ("ap-northeast-3", "aws"),
    ("ap-southeast-1", "aws"),
    ("ap-southeast-2", "aws"),
    ("ap-southeast-3", "aws"),
    ("ap-southeast-4", "aws"),
    ("ap-southeast-5", "aws"),
    ("ap-southeast-7", "aws"),
    ("ca-central-1", "aws"),
    ("ca-west-1", "aws"),
    ("eu-central-1", "aws"),
    ("eu-central-2", "aws"),
    ("eu-west-1", "aws"),
    ("eu-west-2", "aws"),
    ("eu-west-3", "aws"),
    ("eu-south-1", "aws"),
    ("eu-south-2", "aws"),
    ("eu-north-1", "aws"),
    ("il-central-1", "aws"),
    ("me-south-1", "aws"),
    ("me-central-1", "aws"),
    ("mx-central-1", "aws"),
    ("sa-east-1", "aws"),
    ("us-gov-east-1", "aws-us-gov"),
    ("us-gov-west-1", "aws-us-gov"),
    ("cn-north-1", "aws-cn"),
    ("cn-northwest-1", "aws-cn"),
];

/// The ARN partition of a known region.
pub fn partition(region: &str) -> Option<&'static str> {
    REGIONS.iter().find(|(r, _)| *r == region).map(|(_, p)| *p)
}

/// The region's short code, for names that cannot afford the full code (`us-west-2` → `usw2`,
/// `ap-southeast-1` → `apse1`, `us-gov-west-1` → `usgw1`): the country part, the first letter
/// of each further word (two for the compound directions), and the number. A test checks the
/// codes of [`REGIONS`] are distinct.
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
    fn short_codes_are_distinct_and_short() {
        let mut seen = std::collections::BTreeMap::new();
        for (region, _) in REGIONS {
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
