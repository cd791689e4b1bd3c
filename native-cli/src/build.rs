//! What the build carries: the AWS Marketplace product code (images built for the Marketplace)
//! and the tier limit (an image for one tier). Both are set at build time through the
//! environment of `cargo build` (`ML_PROVISIONER_PRODUCT_CODE`, `ML_PROVISIONER_TIER`; the
//! Dockerfile passes its build arguments). A build without them (a source build) reads the same
//! variables at run time: they can only add a check (a subscription check, a tier limit), never
//! remove one the build carries, which is how the tests exercise both paths with one binary.

use ml_provisioner_core::Tier;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Build {
    /// Marketplace product code: every run first calls `RegisterUsage` with it.
    pub product_code: Option<String>,
    /// The highest tier this build may provision.
    pub tier_limit: Option<Tier>,
    /// A tier limit that names no tier (a broken build or environment): every config is refused.
    pub bad_tier_limit: Option<String>,
}

impl Build {
    /// This binary's build, with the run-time additions described above.
    pub fn current(var: impl Fn(&str) -> Option<String>) -> Build {
        let nonempty = |v: Option<String>| v.filter(|v| !v.is_empty());
        let product_code = nonempty(option_env!("ML_PROVISIONER_PRODUCT_CODE").map(str::to_owned))
            .or_else(|| nonempty(var("ML_PROVISIONER_PRODUCT_CODE")));
        let tier = nonempty(option_env!("ML_PROVISIONER_TIER").map(str::to_owned))
            .or_else(|| nonempty(var("ML_PROVISIONER_TIER")));
        let tier_limit = tier.as_deref().and_then(Tier::parse);
        Build {
            product_code,
            bad_tier_limit: tier.filter(|_| tier_limit.is_none()),
            tier_limit,
        }
    }

    /// One line on the tier limit (list-products, `--version`).
    pub fn tier_note(&self) -> String {
        match (self.tier_limit, &self.bad_tier_limit) {
            (_, Some(bad)) => {
                format!(
                    "This build's tier limit '{bad}' names no tier: no tier may be provisioned."
                )
            }
            (Some(limit), None) => {
                format!("This build provisions the {} tier at most.", limit.as_str())
            }
            (None, None) => "This is a source build: every tier may be provisioned.".to_owned(),
        }
    }

    /// `--version`: the version, the tier limit and the subscription check this build makes.
    pub fn version_text(&self) -> String {
        let subscription = match &self.product_code {
            Some(code) => format!(
                "AWS Marketplace product code {code}: every run first checks the subscription."
            ),
            None => "No AWS Marketplace product code: no subscription check.".to_owned(),
        };
        format!(
            "ml-provisioner {}\n{}\n{subscription}\n",
            env!("CARGO_PKG_VERSION"),
            self.tier_note()
        )
    }

    /// Whether this build may provision `tier`.
    pub fn allows(&self, tier: Tier) -> bool {
        self.bad_tier_limit.is_none() && self.tier_limit.is_none_or(|limit| tier <= limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_time_variable_only_adds_a_check() {
        let none = Build::current(|_| None);
        assert!(none.allows(Tier::Enterprise));
        let limited =
            Build::current(|k| (k == "ML_PROVISIONER_TIER").then(|| "professional".to_owned()));
        assert!(limited.allows(Tier::Starter) && limited.allows(Tier::Professional));
        assert!(!limited.allows(Tier::Enterprise));
        let broken = Build::current(|k| (k == "ML_PROVISIONER_TIER").then(|| "gold".to_owned()));
        assert!(!broken.allows(Tier::Starter));
        let code =
            Build::current(|k| (k == "ML_PROVISIONER_PRODUCT_CODE").then(|| "abc".to_owned()));
        assert_eq!(code.product_code.as_deref(), Some("abc"));
    }
}
