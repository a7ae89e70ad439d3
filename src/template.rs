//! The embedded template plan (the example repository's own `content/sjabloon/`) and the
//! starting files of a new repository: data only, for `init`/`new` and the lints.

macro_rules! template {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../content/sjabloon/", $path)))),*]
    };
}

/// The template plan's files: path inside the plan folder, text.
pub const TEMPLATE: &[(&str, &str)] = template![
    "_index.md",
    "01-probleemanalyse/_index.md",
    "01-probleemanalyse/01-aanleiding.md",
    "01-probleemanalyse/02-de-jeugdgroep.md",
    "01-probleemanalyse/03-bekend-strafrecht-om.md",
    "01-probleemanalyse/04-duiding-van-de-groep.md",
    "01-probleemanalyse/05-wat-is-nodig.md",
    "02-doelstellingen.md",
    "03-plan-van-aanpak/_index.md",
    "03-plan-van-aanpak/01-informatiepositie.md",
    "03-plan-van-aanpak/02-inzet-op-het-individu.md",
    "03-plan-van-aanpak/03-inzet-op-de-groep.md",
    "03-plan-van-aanpak/04-inzet-op-locatie.md",
    "04-rollen-partners.md",
    "05-overlegstructuur.md",
    "06-monitoring.md",
];

/// The planboek.toml that `init` writes.
pub const CONFIG_TEXT: &str = "\
# Instellingen van het planboek. Zie de README van planboek voor alle sleutels.
title = \"Planboek jeugdgroepen\"
# Taal van de handboekpagina's: \"nl\" of \"en\".
language = \"nl\"
# Voor wie een build standaard is: \"openbaar\", \"intern\" of \"vertrouwelijk\".
audience = \"intern\"
";

/// The .gitignore that `init` writes: the output and the versions' cache stay out of git.
pub const GITIGNORE: &str = "/site/\n/.planboek-cache/\n";
