//! The config model (PRODUCT.md §3): what a config that passed every check means. Illegal
//! states are unrepresentable. [`crate::check`] builds it.

use crate::names::{NameParts, Names};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub client: Client,
    pub environment: Environment,
    pub product: MlProduct,
    /// Extra tags, in file order.
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub company_name: String,
    pub company_prefix: String,
    pub account_id: String,
    pub tenant_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    pub env: Env,
    pub region: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Env {
    Dev,
    Test,
    Staging,
    Prod,
}

impl Env {
    pub fn as_str(self) -> &'static str {
        match self {
            Env::Dev => "dev",
            Env::Test => "test",
            Env::Staging => "staging",
            Env::Prod => "prod",
        }
    }

    pub fn parse(text: &str) -> Option<Env> {
        [Env::Dev, Env::Test, Env::Staging, Env::Prod]
            .into_iter()
            .find(|e| e.as_str() == text)
    }
}

/// The product tiers, in increasing order of what they create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Starter,
    Professional,
    Enterprise,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Starter, Tier::Professional, Tier::Enterprise];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Starter => "starter",
            Tier::Professional => "professional",
            Tier::Enterprise => "enterprise",
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlProduct {
    pub tier: Tier,
    pub use_case: String,
    pub workload: Option<String>,
    pub source: SourceControl,
    pub alerts_email: Option<String>,
    pub vpc: Option<VpcIntegration>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceControl {
    CodeCommit,
    /// An existing bucket (and optional key prefix) holding the model-build and model-deploy
    /// source archives.
    S3 {
        bucket: String,
        prefix: String,
    },
}

impl SourceControl {
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceControl::CodeCommit => "codecommit",
            SourceControl::S3 { .. } => "s3",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcIntegration {
    pub mode: VpcMode,
    pub source: VpcSource,
    pub route_table_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VpcMode {
    /// The stack creates the endpoint security group.
    Standalone,
    /// The security group comes from SG Provisioner, its id read from SSM.
    SgProv { security_group_id_parameter: String },
}

impl VpcMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            VpcMode::Standalone => "standalone",
            VpcMode::SgProv { .. } => "sgprov",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VpcSource {
    /// VPC and subnets resolved from SSM at deploy time.
    Ssm {
        vpc_id_parameter: String,
        subnet_ids_parameter: String,
    },
    Direct {
        vpc_id: String,
        subnet_ids: Vec<String>,
    },
}

impl VpcSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            VpcSource::Ssm { .. } => "ssm",
            VpcSource::Direct { .. } => "direct",
        }
    }
}

impl Config {
    pub fn name_parts(&self) -> NameParts<'_> {
        NameParts {
            company_prefix: &self.client.company_prefix,
            env: self.environment.env.as_str(),
            tenant_id: &self.client.tenant_id,
            region: &self.environment.region,
            use_case: &self.product.use_case,
            workload: self.product.workload.as_deref(),
        }
    }

    /// Names for the normal deploy.
    pub fn names(&self) -> Names<'_> {
        Names::new(self.name_parts(), None)
    }

    pub fn tier(&self) -> Tier {
        self.product.tier
    }

    /// The SSM parameters the stack reads at deploy time (enterprise `vpc_source: ssm`, `sgprov`),
    /// each with what it holds. They must exist before a deploy.
    pub fn ssm_inputs(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        if let Some(vpc) = &self.product.vpc {
            if let VpcSource::Ssm {
                vpc_id_parameter,
                subnet_ids_parameter,
            } = &vpc.source
            {
                out.push(("the VPC id", vpc_id_parameter.as_str()));
                out.push(("the subnet ids", subnet_ids_parameter.as_str()));
            }
            if let VpcMode::SgProv {
                security_group_id_parameter,
            } = &vpc.mode
            {
                out.push((
                    "the security group id",
                    security_group_id_parameter.as_str(),
                ));
            }
        }
        out
    }
}
