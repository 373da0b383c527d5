//! The TOML config and the paths logdex uses.
