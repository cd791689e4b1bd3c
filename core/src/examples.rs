//! The 20 shipped example configs, embedded: the same files as `examples/configs/` (the core's
//! `examples` test holds them equal, byte for byte). The browser app offers them; the CLI writes them out (`--copy-examples`).

/// One shipped example.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub file_name: &'static str,
    pub tier: &'static str,
    /// The example's own description (its second comment line).
    pub summary: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        file_name: "edge-prod-b001-us-west-2-fraud-detection-ml-codecommit-workload.yaml",
        tier: "professional",
        summary: "Professional tier: codecommit source, workload realtime.",
        text: include_str!(
            "../../examples/configs/edge-prod-b001-us-west-2-fraud-detection-ml-codecommit-workload.yaml"
        ),
    },
    Example {
        file_name: "edge-prod-b001-us-west-2-fraud-detection-ml-codecommit.yaml",
        tier: "professional",
        summary: "Professional tier: codecommit source.",
        text: include_str!(
            "../../examples/configs/edge-prod-b001-us-west-2-fraud-detection-ml-codecommit.yaml"
        ),
    },
    Example {
        file_name: "edge-prod-b001-us-west-2-fraud-detection-ml-s3-workload.yaml",
        tier: "professional",
        summary: "Professional tier: s3 source, workload realtime.",
        text: include_str!(
            "../../examples/configs/edge-prod-b001-us-west-2-fraud-detection-ml-s3-workload.yaml"
        ),
    },
    Example {
        file_name: "edge-prod-b001-us-west-2-fraud-detection-ml-s3.yaml",
        tier: "professional",
        summary: "Professional tier: s3 source.",
        text: include_str!(
            "../../examples/configs/edge-prod-b001-us-west-2-fraud-detection-ml-s3.yaml"
        ),
    },
    Example {
        file_name: "edge-staging-b001-us-west-2-fraud-detection-ml-codecommit.yaml",
        tier: "professional",
        summary: "Multi-environment: staging on the professional tier: codecommit source.",
        text: include_str!(
            "../../examples/configs/edge-staging-b001-us-west-2-fraud-detection-ml-codecommit.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-direct.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: codecommit source, sgprov security group, VPC from direct.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-direct.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: codecommit source, sgprov security group, VPC from ssm.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct-rtb.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: route tables given, so the S3 gateway endpoint is associated at deploy time.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct-rtb.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: codecommit source, standalone security group, VPC from direct.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-direct.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm-workload.yaml",
        tier: "enterprise",
        summary: "Enterprise tier with workload realtime: the longest names of the examples.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm-workload.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: codecommit source, standalone security group, VPC from ssm.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-sgprov-direct.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: s3 source, sgprov security group, VPC from direct.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-sgprov-direct.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-sgprov-ssm.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: s3 source, sgprov security group, VPC from ssm.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-sgprov-ssm.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-standalone-direct.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: s3 source, standalone security group, VPC from direct.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-standalone-direct.yaml"
        ),
    },
    Example {
        file_name: "globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-standalone-ssm.yaml",
        tier: "enterprise",
        summary: "Enterprise tier: s3 source, standalone security group, VPC from ssm.",
        text: include_str!(
            "../../examples/configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-standalone-ssm.yaml"
        ),
    },
    Example {
        file_name: "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        tier: "starter",
        summary: "Multi-environment: dev on the starter tier: codecommit source.",
        text: include_str!(
            "../../examples/configs/techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml"
        ),
    },
    Example {
        file_name: "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit-workload.yaml",
        tier: "starter",
        summary: "Starter tier: codecommit source, workload realtime.",
        text: include_str!(
            "../../examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit-workload.yaml"
        ),
    },
    Example {
        file_name: "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml",
        tier: "starter",
        summary: "Starter tier: codecommit source.",
        text: include_str!(
            "../../examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml"
        ),
    },
    Example {
        file_name: "techcorp-prod-a001-us-west-2-customer-churn-ml-s3-workload.yaml",
        tier: "starter",
        summary: "Starter tier: s3 source, workload realtime.",
        text: include_str!(
            "../../examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-s3-workload.yaml"
        ),
    },
    Example {
        file_name: "techcorp-prod-a001-us-west-2-customer-churn-ml-s3.yaml",
        tier: "starter",
        summary: "Starter tier: s3 source.",
        text: include_str!(
            "../../examples/configs/techcorp-prod-a001-us-west-2-customer-churn-ml-s3.yaml"
        ),
    },
];
