//! The theme: templates and static files embedded from `themes/default/`, each overridable by
//! a file of the same name under `themes/<config.theme>/`. Parsed at most once per build.

use crate::config::{Config, CONFIG_FILE};
use crate::diag::{lints, Diagnostic};
use crate::i18n;
use crate::util::fs::{canonical, outside};
use crate::util::html::escape_html;
use crate::util::replace_each;
use crate::util::url::encode_path;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tera::{Context, Tera};

/// The folder, relative to the site root, that holds theme folders.
pub const THEMES_DIR: &str = "themes";

/// Output folder of static files, relative to the output root.
pub const STATIC_OUT: &str = "_static";

/// Hex digits of a static file's digest in its address: enough to tell its versions apart.
const ASSET_DIGEST_LEN: usize = 10;

/// Shown as the file of a diagnostic about a built-in template.
pub(crate) const BUILTIN: &str = "<built-in theme>";

const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("plan_base.html", include_str!("../../themes/default/templates/plan_base.html")),
    ("toc.html", include_str!("../../themes/default/templates/toc.html")),
    ("home.html", include_str!("../../themes/default/templates/home.html")),
    ("plan.html", include_str!("../../themes/default/templates/plan.html")),
    ("section.html", include_str!("../../themes/default/templates/section.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("versions.html", include_str!("../../themes/default/templates/versions.html")),
    ("changes.html", include_str!("../../themes/default/templates/changes.html")),
    ("version_bar.html", include_str!("../../themes/default/templates/version_bar.html")),
    ("action_head.html", include_str!("../../themes/default/templates/action_head.html")),
    ("action_row.html", include_str!("../../themes/default/templates/action_row.html")),
    ("action_rows.html", include_str!("../../themes/default/templates/action_rows.html")),
    ("action_due.html", include_str!("../../themes/default/templates/action_due.html")),
    ("action_who.html", include_str!("../../themes/default/templates/action_who.html")),
    ("action_status.html", include_str!("../../themes/default/templates/action_status.html")),
    ("action_counts.html", include_str!("../../themes/default/templates/action_counts.html")),
    ("actions.html", include_str!("../../themes/default/templates/actions.html")),
    ("actions_site.html", include_str!("../../themes/default/templates/actions_site.html")),
    ("timeline.html", include_str!("../../themes/default/templates/timeline.html")),
    ("print.html", include_str!("../../themes/default/templates/print.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
];

const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("planboek.css", include_bytes!("../../themes/default/static/planboek.css")),
    ("planboek.js", include_bytes!("../../themes/default/static/planboek.js")),
    ("favicon.svg", include_bytes!("../../themes/default/static/favicon.svg")),
    ("versions.css", include_bytes!("../../themes/default/static/versions.css")),
    ("versions.js", include_bytes!("../../themes/default/static/versions.js")),
    ("actions.js", include_bytes!("../../themes/default/static/actions.js")),
    ("search-core.js", include_bytes!("../../themes/default/static/search-core.js")),
    ("search.js", include_bytes!("../../themes/default/static/search.js")),
];

/// A template's text and the file it came from (for diagnostics).
struct TemplateSource {
    text: Cow<'static, str>,
    file: PathBuf,
}

/// The templates and the static files of a build.
pub struct Theme {
    /// The templates parsed: at load for a theme with templates of its own, so that a syntax
    /// error stops the command before anything is written; at the first page rendered for
    /// the built-in ones, which a rebuild that changes nothing never needs (parsing them is
    /// most of such a rebuild of a small handbook).
    tera: OnceLock<Result<Tera, Diagnostic>>,
    /// The templates as Tera parses them: localized, their files' addresses filled in.
    localized: BTreeMap<String, TemplateSource>,
    /// Template name → the file it came from.
    files: HashMap<String, PathBuf>,
    /// The names of the templates the theme keeps built in: asked for every page written in
    /// code, so worked out once.
    kept: BTreeSet<String>,
    /// Path under `static/` → bytes.
    statics: BTreeMap<String, Cow<'static, [u8]>>,
    /// Whether a template uses `t` other than as `{{ t.key }}`, so pages must pass it.
    uses_strings: bool,
    /// Static file name → its address under the output root (`asset_urls`).
    assets: HashMap<String, String>,
    /// Whether pages whose templates are all built in are written in code (`frame`,
    /// `overview`, `print_frame`); off only in tests, which compare them with Tera's.
    pages_in_code: bool,
    /// The digest of every template and static file as read: what a build's records name
    /// as its theme, so that a file saved after it was read is not taken for it.
    digest: [u8; 32],
}

impl Theme {
    /// The built-in theme with the files of `root/themes/<config.theme>/` overriding it,
    /// localized for `config.language`.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, TemplateSource> = BUILTIN_TEMPLATES
            .iter()
            .map(|&(name, text)| (name.to_string(), TemplateSource { text: text.into(), file: builtin_file(name) }))
            .collect();
        let mut statics: BTreeMap<String, Cow<'static, [u8]>> =
            BUILTIN_STATIC.iter().map(|&(name, bytes)| (name.to_string(), bytes.into())).collect();
        let mut errors = Vec::new();
        if let Some(name) = &config.theme {
            read_overrides(root, config, name, &mut templates, &mut statics, &mut errors);
        }
        if !errors.is_empty() {
            errors.extend(syntax_errors(&templates));
            return Err(errors);
        }
        let hashes = static_hashes(&statics);
        let digest = digest_of(&templates, &hashes);
        let files: HashMap<String, PathBuf> = templates.iter().map(|(n, s)| (n.clone(), s.file.clone())).collect();
        let kept = files.iter().filter(|(name, file)| **file == builtin_file(name)).map(|(n, _)| n.clone()).collect();
        let strings = i18n::strings(config.language);
        let assets = asset_urls(&hashes);
        let localized: BTreeMap<String, TemplateSource> = templates
            .iter()
            .map(|(name, src)| {
                let text = resolve_assets(&i18n::localize(&src.text, strings), &assets);
                (name.clone(), TemplateSource { text: text.into(), file: src.file.clone() })
            })
            .collect();
        let uses_strings = localized.values().any(|s| i18n::mentions_strings(&s.text));
        let (tera, pages_in_code) = (OnceLock::new(), true);
        let theme = Theme { tera, localized, files, kept, statics, uses_strings, assets, pages_in_code, digest };
        if !theme.keeps_builtin_everywhere() {
            // Each template is parsed once, by Tera; only when that fails are they parsed one
            // by one as written, so that a syntax error names its file and line.
            let tera = theme.parse().map_err(|e| {
                let errors = syntax_errors(&templates);
                if errors.is_empty() {
                    vec![e]
                } else {
                    errors
                }
            })?;
            let _ = theme.tera.set(Ok(tera));
        }
        Ok(theme)
    }

    /// Tera with the templates, parsed.
    fn parse(&self) -> Result<Tera, Diagnostic> {
        let mut tera = build_tera(&self.localized)?;
        tera.register_function("asset", asset_function(self.assets.clone()));
        Ok(tera)
    }

    /// Whether the templates have been parsed (successfully).
    #[cfg(test)]
    pub(super) fn is_parsed(&self) -> bool {
        self.tera.get().is_some_and(Result::is_ok)
    }

    /// Tera with the templates, parsed the first time it is asked for.
    fn tera(&self) -> Result<&Tera, Diagnostic> {
        self.tera.get_or_init(|| self.parse()).as_ref().map_err(Clone::clone)
    }

    /// The digest of the theme's files as read (`digest_of`).
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// Static files to write, as (path relative to the output root, bytes).
    pub fn static_files(&self) -> Vec<(String, &[u8])> {
        self.statics.iter().map(|(name, bytes)| (format!("{STATIC_OUT}/{name}"), bytes.as_ref())).collect()
    }

    /// Whether the theme keeps the built-in version of every template in `names`.
    pub(crate) fn keeps_builtin(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.kept.contains(*n))
    }

    /// Whether a page made of the templates `names` is written in code rather than by Tera:
    /// the theme keeps each of them, and no template needs the UI strings passed.
    pub(crate) fn writes_in_code(&self, names: &[&str]) -> bool {
        self.pages_in_code && self.keeps_builtin(names) && !self.uses_strings
    }

    /// This theme with every page rendered by Tera, to compare with the pages written in code.
    #[cfg(test)]
    pub(super) fn through_templates(mut self) -> Theme {
        self.pages_in_code = false;
        self
    }

    /// Whether every template is the built-in one: a theme's own could print anything
    /// of a build (its version, say) that the built-in ones leave out.
    pub(crate) fn keeps_builtin_everywhere(&self) -> bool {
        self.kept.len() == self.files.len()
    }

    /// The address of static file `name` under the output root, as `asset(name=…)` gives
    /// it; empty for a file the theme does not have.
    pub(crate) fn asset_url(&self, name: &str) -> &str {
        self.assets.get(name).map_or("", String::as_str)
    }

    /// Whether pages must pass the UI strings as `t`.
    pub(crate) fn uses_strings(&self) -> bool {
        self.uses_strings
    }

    /// Renders template `name`; a failure is a diagnostic naming the template's file.
    pub(crate) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera()?.render(name, context).map_err(|e| {
            let message = error_chain(&e);
            let culprit = self.culprit(&message).unwrap_or(name);
            let file = self.files.get(culprit).cloned().unwrap_or_else(|| builtin_file(name));
            Diagnostic::new(lints::THEME, file, 0, 0, format!("cannot render the page: {message}"))
        })
    }

    /// The last template named (`'x.html'`) in a Tera error message: where rendering failed.
    fn culprit<'m>(&self, message: &'m str) -> Option<&'m str> {
        quoted(message).filter(|n| self.files.contains_key(*n)).last()
    }
}

/// The names a Tera error message quotes (`'x.html'`), in order.
fn quoted(message: &str) -> impl Iterator<Item = &str> {
    message.split('\'').skip(1).step_by(2)
}

fn builtin_file(name: &str) -> PathBuf {
    Path::new(BUILTIN).join("templates").join(name)
}

/// The address of each of the theme's static files under the output root, for the template
/// function `asset(name="x.css")`: `_static/x.css?v=<digest>`. The digest follows the file's
/// bytes, so a browser that kept a copy from a hosted handbook's earlier build fetches the
/// new one.
fn asset_urls(hashes: &BTreeMap<String, blake3::Hash>) -> HashMap<String, String> {
    let url = |name: &str, hash: &blake3::Hash| {
        format!("{STATIC_OUT}/{}?v={}", encode_path(name), &hash.to_hex()[..ASSET_DIGEST_LEN])
    };
    hashes.iter().map(|(name, hash)| (name.clone(), url(name, hash))).collect()
}

/// `src` with each `{{ asset(name="x") }}` of a file the theme has replaced by its address,
/// as `{{ t.key }}` is by its string (`i18n::localize`): the same for every page, so that
/// pages need not call the function.
fn resolve_assets(src: &str, urls: &HashMap<String, String>) -> String {
    replace_each(src, "{{ asset(name=\"", |after| {
        let (name, tail) = after.split_once("\") }}")?;
        Some((escape_html(urls.get(name)?), tail))
    })
}

/// The template function `asset(name="x.css")` where it is not written that way: the
/// address from `urls` (`asset_urls`), or an error naming a file the theme does not have.
fn asset_function(urls: HashMap<String, String>) -> impl tera::Function {
    move |args: &HashMap<String, tera::Value>| {
        let name =
            args.get("name").and_then(tera::Value::as_str).ok_or("asset() needs name=\"<file under static/>\"")?;
        match urls.get(name) {
            Some(url) => Ok(tera::Value::String(url.clone())),
            None => Err(format!("asset(): the theme has no static file `{name}`").into()),
        }
    }
}

/// Tera with our escaping: `&<>"'` only, so relative hrefs keep their `/`.
fn build_tera(templates: &BTreeMap<String, TemplateSource>) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    let raw = templates.iter().map(|(name, src)| (name.as_str(), src.text.as_ref()));
    tera.add_raw_templates(raw).map_err(|e| {
        let message = error_chain(&e);
        let file =
            quoted(&message).find_map(|n| templates.get(n)).map_or_else(|| PathBuf::from(BUILTIN), |s| s.file.clone());
        Diagnostic::new(lints::THEME, file, 0, 0, message)
    })?;
    Ok(tera)
}

/// Parses one template on its own, so a syntax error names its file and line.
fn check_syntax(name: &str, src: &TemplateSource) -> Option<Diagnostic> {
    let e = tera::Template::new(name, None, &src.text).err()?;
    let message = error_chain(&e);
    let (line, column) = pest_position(&message).unwrap_or((0, 0));
    let summary = message.lines().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or(&message).trim();
    Some(Diagnostic::new(lints::THEME, &src.file, line, column, format!("template syntax error: {summary}")))
}

/// Line and column from a parser message holding ` --> 3:5`.
fn pest_position(message: &str) -> Option<(u32, u32)> {
    let (_, rest) = message.split_once("--> ")?;
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != ':').unwrap_or(rest.len());
    let (line, col) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// A Tera error and its causes, joined.
fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Reads `root/themes/<name>/templates/**` and `static/**` over the built-in files.
fn read_overrides(
    root: &Path,
    config: &Config,
    name: &str,
    templates: &mut BTreeMap<String, TemplateSource>,
    statics: &mut BTreeMap<String, Cow<'static, [u8]>>,
    errors: &mut Vec<Diagnostic>,
) {
    let rel = Path::new(THEMES_DIR).join(name);
    let dir = root.join(&rel);
    let plain = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
    if !plain || !dir.is_dir() {
        if !(plain && name == "default") {
            errors.push(unknown_theme(config, name));
        }
        return;
    }
    let real_root = canonical(root);
    if let Some(real) = outside(&real_root, &dir) {
        errors.push(link_outside(&rel, &real));
        return;
    }
    for (file, bytes) in read_tree(root, &rel.join("templates"), errors) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                let key = template_name(&rel.join("templates"), &file);
                templates.insert(key, TemplateSource { text: text.into(), file });
            }
            Err(_) => errors.push(Diagnostic::new(lints::THEME, &file, 0, 0, "template is not UTF-8")),
        }
    }
    for (file, bytes) in read_tree(root, &rel.join("static"), errors) {
        statics.insert(template_name(&rel.join("static"), &file), bytes.into());
    }
}

/// A digest of each template's name and text and each static file's name and bytes (by
/// their digest), the built-in ones with the overrides read over them.
fn digest_of(templates: &BTreeMap<String, TemplateSource>, statics: &BTreeMap<String, blake3::Hash>) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes()).update(bytes);
    };
    for (name, src) in templates {
        field(name.as_bytes());
        field(src.text.as_bytes());
    }
    field(b"\0static");
    for (name, hash) in statics {
        field(name.as_bytes());
        field(hash.as_bytes());
    }
    *h.finalize().as_bytes()
}

/// The digest of each static file's bytes, by name: the theme's digest and the files'
/// addresses are made from it.
fn static_hashes(statics: &BTreeMap<String, Cow<'static, [u8]>>) -> BTreeMap<String, blake3::Hash> {
    statics.iter().map(|(name, bytes)| (name.clone(), blake3::hash(bytes))).collect()
}

/// Parses each template on its own, so that a syntax error names its file and line.
fn syntax_errors(templates: &BTreeMap<String, TemplateSource>) -> Vec<Diagnostic> {
    templates.iter().filter_map(|(name, src)| check_syntax(name, src)).collect()
}

/// `themes/x/templates/macros/nav.html` → `macros/nav.html`.
fn template_name(base: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(base).unwrap_or(file);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Every file under `root/rel` as (path relative to the site root, bytes); none if absent.
fn read_tree(root: &Path, rel: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root.join(rel);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let real_root = canonical(root);
    let walk = walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
    let mut refused = Vec::new();
    // Links are followed only where they stay inside the site root.
    let walk = walk.filter_entry(|e| match e.path_is_symlink().then(|| outside(&real_root, e.path())).flatten() {
        Some(real) => {
            refused.push(link_outside(e.path().strip_prefix(root).unwrap_or(e.path()), &real));
            false
        }
        None => true,
    });
    let entries: Vec<_> = walk.collect();
    errors.append(&mut refused);
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::new(lints::THEME, rel, 0, 0, format!("cannot read the theme: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let file = rel.join(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push((file, bytes)),
            Err(e) => errors.push(Diagnostic::new(lints::THEME, &file, 0, 0, format!("cannot read: {e}"))),
        }
    }
    out
}

/// A theme file or folder that is a symbolic link out of the site root: an error, as the
/// theme is not what the repository holds.
fn link_outside(link: &Path, real: &Path) -> Diagnostic {
    let message = format!("symbolic link leads outside the site root (to {}); not read", real.display());
    Diagnostic::new(lints::THEME, link, 0, 0, message)
        .with_help("planboek reads only files inside the repository; copy the theme file in instead of linking it")
}

/// The error for a `theme` in planboek.toml that names no folder under `themes/`.
fn unknown_theme(config: &Config, name: &str) -> Diagnostic {
    let line = config.line_of(&["theme"]);
    let column = u32::from(line > 0);
    Diagnostic::new(
        lints::THEME,
        CONFIG_FILE,
        line,
        column,
        format!("theme `{name}` not found: there is no folder {THEMES_DIR}/{name}"),
    )
    .with_help(format!(
        "create {THEMES_DIR}/{name}/templates/ or {THEMES_DIR}/{name}/static/ with the files to override, \
         or remove `theme` from {CONFIG_FILE}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_asset_address_follows_the_bytes_written_out_or_looked_up() {
        let statics: BTreeMap<String, Cow<'static, [u8]>> =
            [("a#b.css".to_string(), Cow::Borrowed(&b"x"[..])), ("c.js".to_string(), Cow::Borrowed(&b"y"[..]))].into();
        let urls = asset_urls(&static_hashes(&statics));
        let a = format!("_static/a%23b.css?v={}", &blake3::hash(b"x").to_hex()[..ASSET_DIGEST_LEN]);
        assert_eq!(urls["a#b.css"], a);
        assert_eq!(urls["c.js"], format!("_static/c.js?v={}", &blake3::hash(b"y").to_hex()[..ASSET_DIGEST_LEN]));
        let src = r#"<{{ asset(name="a#b.css") }}|{{ asset(name="geen.css") }}|{{ asset(name='c.js') }}>"#;
        let resolved = resolve_assets(src, &urls);
        assert_eq!(resolved, format!(r#"<{a}|{{{{ asset(name="geen.css") }}}}|{{{{ asset(name='c.js') }}}}>"#));
        let mut tera = Tera::default();
        tera.register_function("asset", asset_function(urls.clone()));
        tera.add_raw_template("t", "{{ asset(name='c.js') }}|{{ asset(name=n) }}").expect("template");
        let mut cx = Context::new();
        cx.insert("n", "a#b.css");
        assert_eq!(tera.render("t", &cx).expect("render"), format!("{}|{a}", urls["c.js"]));
        tera.add_raw_template("u", r#"{{ asset(name="geen.css") }}"#).expect("template");
        let e = error_chain(&tera.render("u", &Context::new()).expect_err("no such file"));
        assert!(e.contains("no static file `geen.css`"), "{e}");
    }
}
