//! The estimated monthly fixed cost of what a config creates, from a built-in price table.
//!
//! Only resources that bill by the hour or month whether used or not are priced (interface VPC
//! endpoints per AZ, the KMS key, the dashboard); everything billed by use is listed as such.
//! Money is counted in micro-dollars (integers) so the same config gives the same text on every
//! platform. The table is dated and the report labels the result an estimate.

use crate::catalog::{AUDIT_RETENTION_DAYS, NONCURRENT_ARTIFACT_DAYS};
use crate::config::{Config, Tier, VpcSource};

/// When the price table was compiled (AWS public on-demand list prices, USD).
pub const PRICE_TABLE_DATE: &str = "2026-11-27";

/// Hours AWS bills in a month (its pricing pages use 730).
const HOURS_PER_MONTH: u64 = 730;

/// Interface endpoint price per endpoint per AZ-hour, micro-dollars, for the regions the table
/// knows; other regions are estimated at the us-east-1 price and say so.
const INTERFACE_ENDPOINT_HOURLY: &[(&str, u64)] = &[
    ("us-east-1", 10_000),
    ("us-east-2", 10_000),
    ("us-west-2", 10_000),
    ("us-west-1", 11_000),
    ("eu-west-1", 11_000),
    ("eu-central-1", 12_000),
    ("ap-northeast-1", 14_000),
    ("ap-southeast-1", 13_000),
    ("ap-southeast-2", 14_000),
    ("sa-east-1", 17_000),
];
const US_EAST_1_ENDPOINT_HOURLY: u64 = 10_000;
/// A customer-managed KMS key, per month.
const KMS_KEY_MONTHLY: u64 = 1_000_000;
/// A CloudWatch dashboard, per month (an account's first three are free).
const DASHBOARD_MONTHLY: u64 = 3_000_000;
/// AZs assumed when the subnets come from SSM and so are unknown until deploy time.
const ASSUMED_AZS: u64 = 2;

/// One priced line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedCost {
    pub item: &'static str,
    pub quantity: String,
    pub unit_price: String,
    pub monthly_micro_usd: u64,
    pub note: String,
}

/// One cost that depends on use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageCost {
    pub item: &'static str,
    pub pricing: String,
}

/// The estimate for one config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostEstimate {
    pub region: String,
    /// False when the table has no prices for the region (us-east-1 prices were used).
    pub regional_prices: bool,
    pub fixed: Vec<FixedCost>,
    pub usage: Vec<UsageCost>,
}

impl CostEstimate {
    pub fn total_micro_usd(&self) -> u64 {
        self.fixed.iter().map(|f| f.monthly_micro_usd).sum()
    }
}

/// Formats micro-dollars as `$1,234.56` (rounded half up to the cent).
pub fn usd(micro: u64) -> String {
    let cents = (micro + 5_000) / 10_000;
    let dollars = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", cents % 100)
}

/// Formats a sub-cent unit price, e.g. `$0.011`.
fn unit(micro: u64) -> String {
    let whole = micro / 1_000_000;
    let frac = format!("{:06}", micro % 1_000_000);
    let frac = frac.trim_end_matches('0');
    let frac = if frac.len() < 2 {
        format!("{frac:0<2}")
    } else {
        frac.to_owned()
    };
    format!("${whole}.{frac}")
}

/// Estimates the monthly cost of what `config` creates.
pub fn estimate(config: &Config) -> CostEstimate {
    let region = config.environment.region.clone();
    let regional = INTERFACE_ENDPOINT_HOURLY
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, p)| *p);
    let mut fixed = Vec::new();
    let tier = config.tier();
    if tier >= Tier::Professional {
        fixed.push(FixedCost {
            item: "CloudWatch dashboard",
            quantity: "1".into(),
            unit_price: format!("{} / month", usd(DASHBOARD_MONTHLY)),
            monthly_micro_usd: DASHBOARD_MONTHLY,
            note: "free if the account has fewer than three dashboards".into(),
        });
    }
    if tier == Tier::Enterprise {
        fixed.push(FixedCost {
            item: "KMS customer-managed key",
            quantity: "1".into(),
            unit_price: format!("{} / month", usd(KMS_KEY_MONTHLY)),
            monthly_micro_usd: KMS_KEY_MONTHLY,
            note: "requests are billed by use (below)".into(),
        });
        let (azs, az_note) = match config.product.vpc.as_ref().map(|v| &v.source) {
            Some(VpcSource::Direct { subnet_ids, .. }) => (
                subnet_ids.len() as u64,
                format!("{} subnets from the config, one AZ each", subnet_ids.len()),
            ),
            _ => (
                ASSUMED_AZS,
                format!(
                    "assumes {ASSUMED_AZS} AZs: the subnets come from SSM at deploy time, so the real count may differ"
                ),
            ),
        };
        let hourly = regional.unwrap_or(US_EAST_1_ENDPOINT_HOURLY);
        let endpoints = 3;
        fixed.push(FixedCost {
            item: "Interface VPC endpoints (sagemaker.api, sagemaker.runtime, sts)",
            quantity: format!("{endpoints} endpoints × {azs} AZs × {HOURS_PER_MONTH} h"),
            unit_price: format!("{} / AZ-hour", unit(hourly)),
            monthly_micro_usd: endpoints * azs * HOURS_PER_MONTH * hourly,
            note: az_note,
        });
        fixed.push(FixedCost {
            item: "S3 gateway VPC endpoint",
            quantity: "1".into(),
            unit_price: "$0.00".into(),
            monthly_micro_usd: 0,
            note: "gateway endpoints are free".into(),
        });
    }
    fixed.push(FixedCost {
        item: "CodePipeline V2 pipelines (build, deploy)",
        quantity: "2".into(),
        unit_price: "$0.00 / month".into(),
        monthly_micro_usd: 0,
        note: "V2 has no monthly fee; action minutes are billed by use".into(),
    });
    fixed.push(FixedCost {
        item: "SageMaker model registry, IAM roles, EventBridge rules, SSM parameters",
        quantity: "—".into(),
        unit_price: "$0.00".into(),
        monthly_micro_usd: 0,
        note: "no charge (standard SSM parameters; EventBridge rules on AWS service events)".into(),
    });
    let mut usage = vec![
        UsageCost {
            item: "CodeBuild",
            pricing: "per build minute (BUILD_GENERAL1_SMALL, Linux)".into(),
        },
        UsageCost {
            item: "CodePipeline V2",
            pricing: "per action-execution minute (the first 100 minutes a month are free)".into(),
        },
        UsageCost {
            item: "S3 artifact bucket",
            pricing: format!(
                "per GB-month stored (replaced versions are kept {NONCURRENT_ARTIFACT_DAYS} days) and per request"
            ),
        },
    ];
    if config.product.source == crate::config::SourceControl::CodeCommit {
        usage.push(UsageCost {
            item: "CodeCommit",
            pricing: "per active user a month beyond the first five".into(),
        });
    }
    if tier >= Tier::Professional {
        usage.push(UsageCost {
            item: "SNS alerts",
            pricing: "per notification (the first 1,000 e-mails a month are free)".into(),
        });
    }
    if tier == Tier::Enterprise {
        usage.extend([
            UsageCost {
                item: "KMS requests",
                pricing: "per 10,000 requests (builds, pipelines and the bucket encrypt and decrypt with the key)".into(),
            },
            UsageCost {
                item: "Compliance log group",
                pricing: format!(
                    "per GB ingested and per GB-month stored ({AUDIT_RETENTION_DAYS}-day retention)"
                ),
            },
            UsageCost {
                item: "S3 access-log bucket",
                pricing: format!(
                    "per GB-month stored (logs expire after {AUDIT_RETENTION_DAYS} days; delivery is free)"
                ),
            },
            UsageCost {
                item: "Interface VPC endpoints",
                pricing: "per GB processed".into(),
            },
        ]);
    }
    usage.push(UsageCost {
        item: "SageMaker jobs and endpoints",
        pricing: "per instance-hour, created by your build and deploy code, not by this stack"
            .into(),
    });
    CostEstimate {
        region,
        regional_prices: regional.is_some(),
        fixed,
        usage,
    }
}

#[cfg(test)]
mod tests {
    use super::{unit, usd};

    #[test]
    fn formats_money_deterministically() {
        assert_eq!(usd(0), "$0.00");
        assert_eq!(usd(1_000_000), "$1.00");
        assert_eq!(usd(43_800_000), "$43.80");
        assert_eq!(usd(1_234_567_890), "$1,234.57");
        assert_eq!(unit(10_000), "$0.01");
        assert_eq!(unit(11_000), "$0.011");
        assert_eq!(unit(3_000_000), "$3.00");
    }
}
