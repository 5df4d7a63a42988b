//! Turns a raw catalog file into the model, collecting every problem with its line: unknown
//! permission names (with a did-you-mean), access words, option and feature references,
//! placeholders, and quotes that do not occur in the vendor document.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;

use super::document::SourceDocument;
use super::error::CatalogError;
use super::model::*;
use super::raw;
use crate::access::{FieldAccess, parse_object_access_list};
use crate::metadata::OutputKind;
use crate::platform::needs::PlatformAdvice;
use crate::platform::permissions;
use crate::suggest::hint;

/// Placeholders every integration may use: one expansion per `--object` / `--field` given.
pub(crate) const OBJECT_PLACEHOLDER: &str = "{object}";
pub(crate) const FIELD_PLACEHOLDER: &str = "{field}";

/// Option names become `sfperms gen --NAME` flags, so they may not be one of sfperms' own flags:
/// every long flag of gen, explain, diff and init, the global ones, `--help` and `--version`. The
/// library does not see the CLI's definition; a test of the binary (`cli::tests`) asserts that
/// this list is exactly the set clap defines.
pub const RESERVED_OPTION_NAMES: &[&str] = &[
    "against",
    "api-version",
    "as",
    "catalog",
    "check",
    "color",
    "dependencies",
    "feature",
    "field",
    "fields",
    "for",
    "format",
    "group",
    "help",
    "integration-user",
    "json",
    "label",
    "layout",
    "name",
    "new-profile",
    "object",
    "output-dir",
    "scope",
    "user-license",
    "user-permission",
    "version",
    "zip",
];

/// Whether quotes are checked against their documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quotes {
    /// Every quote must occur in the integration's documents.
    Check,
    /// Not searched for: the built-in catalog, whose quotes its tests check
    /// (`catalog::tests::the_builtin_catalog_is_valid_quotes_included`), so that a run does not
    /// search the vendor documents again. A conflict's quotes are still looked up, to name the
    /// document each side comes from.
    Trusted,
}

struct Checker<'a> {
    file: &'a str,
    quotes: Quotes,
    /// The integration's documents found: file name and its text.
    documents: Vec<(String, &'a str)>,
    /// The same texts with white space folded, made on the first quote looked up.
    folded: Option<Vec<String>>,
    /// Where each line break of the file is, so a line number costs a binary search.
    line_breaks: Vec<usize>,
    errors: Vec<CatalogError>,
}

impl Checker<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        self.line_breaks.partition_point(|&at| at < span.start) + 1
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let line = self.line(span);
        self.errors.push(CatalogError { file: self.file.to_string(), line, message: message.into() });
    }

    /// A quote must occur in one of the integration's documents word for word (white space folded).
    fn quote(&mut self, source: Spanned<raw::OneOrMany>) -> Quote {
        match self.quotes {
            Quotes::Check => self.quote_in(source).0,
            Quotes::Trusted => Quote(source.into_inner().into_vec()),
        }
    }

    /// The quote and the file its first part occurs in.
    fn quote_in(&mut self, source: Spanned<raw::OneOrMany>) -> (Quote, Option<String>) {
        let span = source.span();
        let parts = source.into_inner().into_vec();
        let documents = &self.documents;
        let texts = self.folded.get_or_insert_with(|| documents.iter().map(|(_, text)| fold_space(text)).collect());
        let found = |part: &String| {
            let folded = fold_space(part);
            documents
                .iter()
                .zip(texts.iter())
                .find(|(_, text)| !folded.is_empty() && text.contains(&folded))
                .map(|((f, _), _)| f.clone())
        };
        let files: Vec<Option<String>> = parts.iter().map(found).collect();
        if !self.documents.is_empty() {
            for (part, file) in parts.iter().zip(&files) {
                if file.is_none() {
                    let message = format!(
                        "quote `{part}` does not occur in the vendor document{}; cite its words exactly",
                        if self.documents.len() > 1 { "s" } else { "" }
                    );
                    self.error(span.clone(), message);
                }
            }
        }
        let first = files.into_iter().next().flatten();
        (Quote(parts), first)
    }

    fn quote_opt(&mut self, source: Option<Spanned<raw::OneOrMany>>) -> Option<Quote> {
        source.map(|s| self.quote(s))
    }
}

fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Names in `{…}` inside `s`.
pub fn placeholders(s: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        found.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    found
}

pub fn integration(
    file: &str,
    text: &str,
    documents: &BTreeMap<String, SourceDocument>,
    broken: &BTreeSet<String>,
    quotes: Quotes,
) -> Result<Integration, Vec<CatalogError>> {
    let parsed: raw::Integration = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| text[..s.start].matches('\n').count() + 1);
        vec![CatalogError { file: file.to_string(), line, message: e.message().to_string() }]
    })?;
    let line_breaks = text.match_indices('\n').map(|(at, _)| at).collect();
    let mut c = Checker { file, quotes, documents: Vec::new(), folded: None, line_breaks, errors: Vec::new() };

    let id = parsed.id.get_ref().clone();
    if !is_kebab(&id) {
        c.error(parsed.id.span(), format!("id `{id}` must be lower-case words joined by `-`"));
    }
    let document_span = parsed.document.span();
    let files = parsed.document.into_inner().into_vec();
    if files.is_empty() {
        c.error(document_span.clone(), "`document` names at least one file of sources/");
    }
    let mut found: Vec<&SourceDocument> = Vec::new();
    for (index, name) in files.iter().enumerate() {
        if files[..index].contains(name) {
            c.error(document_span.clone(), format!("document `{name}` is listed twice"));
            continue;
        }
        match documents.get(name) {
            Some(document) => {
                c.documents.push((name.clone(), &document.body));
                found.push(document);
            }
            // Its own errors are reported where it was read.
            None if broken.contains(name) => {}
            None => {
                let names: Vec<&str> = documents.keys().map(String::as_str).collect();
                let message = format!("document `{name}` not found in sources/{}", hint(name, names));
                c.error(document_span.clone(), message);
            }
        }
    }
    if found.len() < files.len() {
        // A missing document: its quotes cannot be checked.
        c.documents.clear();
    }
    let document = files.first().cloned().unwrap_or_default();
    let main_header = found.first().filter(|d| d.file == document).and_then(|d| d.header.clone());
    let (title, vendor_url) = match (&main_header, parsed.title, parsed.vendor_url) {
        (Some(header), None, None) => (header.title.clone(), Some(header.address.clone())),
        (Some(_), title, url) => {
            for span in title.map(|t| t.span()).into_iter().chain(url.map(|u| u.span())) {
                c.error(span, format!("`{document}` is an excerpt: its header gives the title and address; leave `title` and `vendor-url` out"));
            }
            (String::new(), None)
        }
        (None, Some(title), url) => (title.into_inner(), url.map(Spanned::into_inner)),
        (None, None, url) => {
            if found.first().is_some_and(|d| d.file == document) {
                c.error(document_span.clone(), format!("`{document}` is a full-text document: give its `title`"));
            }
            (String::new(), url.map(Spanned::into_inner))
        }
    };
    let sources = found
        .iter()
        .map(|d| match &d.header {
            Some(h) => SourceInfo {
                file: d.file.clone(),
                title: h.title.clone(),
                address: Some(h.address.clone()),
                read: Some(h.read.clone()),
            },
            None if d.file == document => {
                SourceInfo { file: d.file.clone(), title: title.clone(), address: vendor_url.clone(), read: None }
            }
            None => {
                c.error(document_span.clone(), format!("`{}` is a full-text document: a further document must be an excerpt (a header with its address, title and read date)", d.file));
                SourceInfo { file: d.file.clone(), title: String::new(), address: None, read: None }
            }
        })
        .collect();
    let output = match &parsed.output {
        None => OutputKind::PermissionSet,
        Some(word) => OutputKind::parse(word.get_ref()).unwrap_or_else(|| {
            c.error(word.span(), format!("output `{}` must be `permission-set` or `profile`", word.get_ref()));
            OutputKind::PermissionSet
        }),
    };
    let output_source = c.quote_opt(parsed.output_source);

    let options = options(&mut c, parsed.option);
    let features = features(&mut c, parsed.feature);
    let scope = Declared { options: &options, features: &features };

    let admin_shortcut = parsed.admin_shortcut.map(|s| AdminShortcut {
        source: c.quote(s.source),
        user_permissions: s.user_permissions.into_iter().map(|p| user_permission(&mut c, p)).collect(),
        note: s.note,
    });

    let integration_licence = parsed.integration_licence.map(|l| IntegrationLicence {
        accepts: l.accepts,
        source: c.quote(l.source),
        note: l.note,
    });
    let connected_app =
        parsed.connected_app.map(|a| ConnectedApp { source: c.quote(a.source), name: a.name, note: a.note });
    let connects_through_api = parsed.connects_through_api;

    let mut requirements = Vec::new();
    for mut r in parsed.require {
        let line = c.line(r.source.span());
        let source = c.quote(r.source.clone());
        let also = c.quote_opt(r.also.take());
        let condition = condition(&mut c, &scope, r.feature.take(), std::mem::take(&mut r.when), None);
        let own = r.take_grants();
        let has_own = !own.is_empty();
        let alternatives = if r.any_of.is_empty() {
            vec![grants(&mut c, &scope, own)]
        } else {
            if has_own {
                c.error(
                    r.source.span(),
                    "a requirement has either its own grants or `any-of`, not both: split it in two",
                );
            }
            if r.any_of.len() < 2 {
                c.error(r.source.span(), "`any-of` needs at least two alternatives");
            }
            r.any_of.into_iter().map(|g| grants(&mut c, &scope, g)).collect()
        };
        if alternatives.iter().any(Vec::is_empty) {
            c.error(r.source.span(), "a requirement (or one of its alternatives) grants nothing: add user-permissions, objects, fields, apex-classes or external-credential-principals, or make it an [[unmapped]] note");
        }
        requirements.push(Requirement {
            source,
            condition,
            alternatives,
            unverified: r.unverified,
            note: r.note,
            also,
            line,
        });
    }

    let unmapped = parsed
        .unmapped
        .into_iter()
        .map(|u| Unmapped {
            source: c.quote(u.source),
            reason: u.reason,
            condition: condition(&mut c, &scope, u.feature, u.when, None),
        })
        .collect();
    let warnings = parsed
        .warning
        .into_iter()
        .map(|w| Warning {
            message: w.message,
            source: c.quote_opt(w.source),
            condition: condition(&mut c, &scope, w.feature, w.when, w.as_output),
        })
        .collect();
    let rule_outs = parsed
        .rule_out
        .into_iter()
        .map(|r| {
            let source = c.quote(r.source);
            let cond = condition(&mut c, &scope, None, r.when, None);
            RuleOut { options: cond.options, message: r.message, source }
        })
        .collect();

    let package_permission_sets = parsed
        .package_permission_set
        .into_iter()
        .map(|p| {
            let name = p.name.get_ref().clone();
            if name.trim().is_empty() {
                c.error(p.name.span(), "a package permission set needs its `name` as the page writes it");
            }
            PackagePermissionSet {
                name,
                source: c.quote(p.source),
                note: p.note,
                condition: condition(&mut c, &scope, p.feature, p.when, None),
            }
        })
        .collect();
    let conflicts = parsed
        .conflict
        .into_iter()
        .map(|k| {
            if k.sides.len() < 2 {
                c.error(k.subject.span(), "a conflict has at least two `sides`, each a quote and what it `says`");
            }
            let sides = k
                .sides
                .into_iter()
                .map(|side| {
                    let (source, file) = c.quote_in(side.source);
                    ConflictSide { source, says: side.says, document: file.unwrap_or_default() }
                })
                .collect();
            Conflict {
                subject: k.subject.into_inner(),
                sides,
                resolution: k.resolution,
                condition: condition(&mut c, &scope, k.feature, k.when, None),
            }
        })
        .collect();

    let platform_needs = parsed
        .platform_need
        .into_iter()
        .filter_map(|n| {
            let advice = PlatformAdvice::named(n.need.get_ref());
            if advice.is_none() {
                let names = PlatformAdvice::ALL.iter().map(|(name, _)| *name);
                let message = format!(
                    "unknown platform need `{}`{}; sfperms knows: {}",
                    n.need.get_ref(),
                    hint(n.need.get_ref(), names.clone()),
                    names.collect::<Vec<_>>().join(", ")
                );
                c.error(n.need.span(), message);
            }
            let source = c.quote(n.source);
            let condition = condition(&mut c, &scope, n.feature, n.when, None);
            advice.map(|advice| PlatformNeedUse { advice, source, condition })
        })
        .collect();

    let default_name = parsed.default_name.get_ref().clone();
    let name_ok = match output {
        OutputKind::PermissionSet => crate::metadata::names::check_api_name(&default_name).is_ok(),
        OutputKind::Profile => !default_name.trim().is_empty(),
    };
    if !name_ok {
        c.error(
            parsed.default_name.span(),
            format!("default-name `{default_name}` is not a valid {} name", output.word()),
        );
    }

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Integration {
        id,
        name: parsed.name,
        summary: parsed.summary,
        origin: file.to_string(),
        document,
        title,
        vendor_url,
        sources,
        output,
        output_source,
        default_name,
        default_label: parsed.default_label,
        admin_shortcut,
        integration_licence,
        connected_app,
        connects_through_api,
        options,
        features,
        requirements,
        unmapped,
        warnings,
        rule_outs,
        package_permission_sets,
        conflicts,
        platform_needs,
    })
}

/// What an integration declares, against which its conditions and placeholders are checked.
struct Declared<'a> {
    options: &'a [OptionDef],
    features: &'a [Feature],
}

fn options(c: &mut Checker, raw: Vec<raw::OptionDef>) -> Vec<OptionDef> {
    let mut out: Vec<OptionDef> = Vec::new();
    for o in raw {
        let name = o.name.get_ref().clone();
        if !is_kebab(&name) {
            c.error(o.name.span(), format!("option name `{name}` must be lower-case words joined by `-`"));
        }
        if out.iter().any(|p| p.name == name) {
            c.error(o.name.span(), format!("option `{name}` is defined twice"));
        }
        if RESERVED_OPTION_NAMES.contains(&name.as_str()) {
            c.error(o.name.span(), format!("option name `{name}` is one of sfperms' own flags: choose another"));
        }
        let kind = match (o.kind.as_ref().map(|k| k.get_ref().as_str()), o.values) {
            (None | Some("choice"), Some(values)) if !values.is_empty() => OptionKind::Choice(values),
            (Some("object"), None) => OptionKind::Object,
            (Some("field"), None) => OptionKind::Field,
            (Some("name"), None) => OptionKind::Name,
            (kind, _) => {
                let message = format!(
                    "option `{name}`: kind {kind:?} — use `values = [...]` for a choice, or kind `object`, `field` or `name` without values"
                );
                c.error(o.name.span(), message);
                OptionKind::Name
            }
        };
        if let (OptionKind::Choice(values), Some(default)) = (&kind, &o.default)
            && !values.contains(default.get_ref())
        {
            c.error(default.span(), format!("default `{}` is not one of {values:?}", default.get_ref()));
        }
        if o.required && o.default.is_some() {
            c.error(o.name.span(), format!("option `{name}` is required and has a default: pick one"));
        }
        for key in o.value_descriptions.keys() {
            if let OptionKind::Choice(values) = &kind
                && !values.contains(key)
            {
                c.error(o.name.span(), format!("value-descriptions names `{key}`, which is not a value of `{name}`"));
            }
        }
        let source = c.quote_opt(o.source);
        out.push(OptionDef {
            name,
            description: o.description,
            kind,
            value_descriptions: o.value_descriptions,
            default: o.default.map(Spanned::into_inner),
            required: o.required,
            source,
            unverified: o.unverified,
        });
    }
    out
}

fn features(c: &mut Checker, raw: Vec<raw::Feature>) -> Vec<Feature> {
    let names: Vec<String> = raw.iter().map(|f| f.name.get_ref().clone()).collect();
    let mut out: Vec<Feature> = Vec::new();
    for f in raw {
        let name = f.name.get_ref().clone();
        if !is_kebab(&name) || name == "all" {
            c.error(
                f.name.span(),
                format!("feature name `{name}` must be lower-case words joined by `-` (and not `all`)"),
            );
        }
        if out.iter().any(|p| p.name == name) {
            c.error(f.name.span(), format!("feature `{name}` is defined twice"));
        }
        let mut implies = Vec::new();
        for i in f.implies {
            if !names.contains(i.get_ref()) {
                let message = format!(
                    "implies unknown feature `{}`{}",
                    i.get_ref(),
                    hint(i.get_ref(), names.iter().map(String::as_str))
                );
                c.error(i.span(), message);
            }
            implies.push(i.into_inner());
        }
        let source = c.quote_opt(f.source);
        out.push(Feature { name, description: f.description, source, implies, aliases: f.aliases });
    }
    out
}

fn condition(
    c: &mut Checker,
    scope: &Declared,
    feature: Option<Spanned<raw::OneOrMany>>,
    when: BTreeMap<String, Spanned<raw::OneOrMany>>,
    as_output: Option<Spanned<String>>,
) -> Condition {
    let mut cond = Condition::default();
    if let Some(feature) = feature {
        let span = feature.span();
        for name in feature.into_inner().into_vec() {
            if !scope.features.iter().any(|f| f.name == name) {
                let names = scope.features.iter().map(|f| f.name.as_str());
                let message = format!("unknown feature `{name}`{}", hint(&name, names));
                c.error(span.clone(), message);
            }
            cond.features.push(name);
        }
    }
    for (option, values) in when {
        let span = values.span();
        let values = values.into_inner().into_vec();
        match scope.options.iter().find(|o| o.name == option) {
            None => {
                let names = scope.options.iter().map(|o| o.name.as_str());
                let message = format!("`when` names unknown option `{option}`{}", hint(&option, names));
                c.error(span, message);
            }
            Some(def) => {
                if let OptionKind::Choice(allowed) = &def.kind {
                    for v in &values {
                        if !allowed.contains(v) {
                            c.error(
                                span.clone(),
                                format!("`{v}` is not a value of option `{option}` ({})", allowed.join(", ")),
                            );
                        }
                    }
                }
            }
        }
        cond.options.insert(option, values);
    }
    if let Some(word) = as_output {
        cond.output = OutputKind::parse(word.get_ref());
        if cond.output.is_none() {
            c.error(word.span(), format!("`as` must be `permission-set` or `profile`, not `{}`", word.get_ref()));
        }
    }
    cond
}

fn user_permission(c: &mut Checker, name: Spanned<String>) -> String {
    let value = name.get_ref();
    if !permissions::is_known(value) {
        let suggestions = permissions::suggestions(value);
        let hint = match suggestions.first() {
            Some(s) => format!("; did you mean `{s}` ({})?", permissions::label(s).unwrap_or_default()),
            None => {
                "; user permissions are API names such as `ApiEnabled` (see src/platform/data/user-permissions.tsv)"
                    .into()
            }
        };
        c.error(name.span(), format!("unknown user permission `{value}`{hint}"));
    }
    name.into_inner()
}

/// Checks that every `{placeholder}` in `name` is an option (or, where allowed, `{object}`/`{field}`).
fn check_placeholders(c: &mut Checker, scope: &Declared, name: &str, span: Range<usize>, whole: Option<&str>) {
    if Some(name) == whole {
        return;
    }
    for p in placeholders(name) {
        if !scope.options.iter().any(|o| o.name == p) {
            let names = scope.options.iter().map(|o| o.name.as_str());
            let message =
                format!("placeholder `{{{p}}}` in `{name}` is not an option of this integration{}", hint(p, names));
            c.error(span.clone(), message);
        }
    }
}

fn grants(c: &mut Checker, scope: &Declared, g: raw::Grants) -> Vec<Template> {
    let mut out = Vec::new();
    for p in g.user_permissions {
        out.push(Template::UserPermission(user_permission(c, p)));
    }
    for (object, access) in g.objects {
        check_placeholders(c, scope, &object, access.span(), Some(OBJECT_PLACEHOLDER));
        match parse_object_access_list(access.get_ref()) {
            Ok(list) => out.push(Template::Object(object, list)),
            Err(e) => c.error(
                access.span(),
                format!(
                    "object `{object}`: {e}; use a comma list of {}",
                    crate::access::ObjectAccess::words().join(", ")
                ),
            ),
        }
    }
    for (field, access) in g.fields {
        check_placeholders(c, scope, &field, access.span(), Some(FIELD_PLACEHOLDER));
        if field != FIELD_PLACEHOLDER && field.split_once('.').is_none_or(|(o, f)| o.is_empty() || f.is_empty()) {
            c.error(access.span(), format!("field `{field}` must be written `Object.Field`"));
        }
        match access.get_ref().parse::<FieldAccess>() {
            Ok(a) => out.push(Template::Field(field, a)),
            Err(e) => c.error(access.span(), format!("field `{field}`: {e}; use `read` or `edit`")),
        }
    }
    for class in g.apex_classes {
        check_placeholders(c, scope, class.get_ref(), class.span(), None);
        out.push(Template::ApexClass(class.into_inner()));
    }
    for principal in g.external_credential_principals {
        check_placeholders(c, scope, principal.get_ref(), principal.span(), None);
        out.push(Template::ExternalCredentialPrincipal(principal.into_inner()));
    }
    out
}

impl raw::Grants {
    fn is_empty(&self) -> bool {
        self.user_permissions.is_empty()
            && self.objects.is_empty()
            && self.fields.is_empty()
            && self.apex_classes.is_empty()
            && self.external_credential_principals.is_empty()
    }
}
