//! Writes the module: header, hub, scopes, schema types, the `calls` module (one resource
//! type per resource, one builder per method) and the API excerpt.

use std::collections::BTreeMap;

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};

use crate::names::{Names, pascal, snake, upper_snake};
use crate::types::{Item, Ty, TypeGen, enum_item, is_enum};
use crate::writer::{Writer, lit};

/// Names a call builder already has; a parameter of the same name gets a `set_` setter.
const CALL_METHODS: &[&str] = &[
    "fields", "param", "header", "prepare", "execute", "pages", "items", "upload", "download",
];

/// Names the hub already has.
const HUB_METHODS: &[&str] = &["new", "endpoint", "from_builder", "hub"];

/// What a module is made of.
pub struct Input<'a> {
    /// The document.
    pub doc: &'a RestDescription,
    /// Its schemas, parsed.
    pub schemas: &'a BTreeMap<String, JsonSchema>,
    /// The chosen methods, by dotted path, sorted.
    pub methods: Vec<(String, &'a RestMethod)>,
    /// The command that makes the module again, for its header.
    pub command: String,
}

/// A resource of the chosen methods.
#[derive(Default)]
struct Node<'a> {
    methods: Vec<(String, String, &'a RestMethod)>,
    children: BTreeMap<String, Node<'a>>,
}

/// How one method is written.
struct Method<'a> {
    dotted: String,
    call_name: String,
    m: &'a RestMethod,
    /// Required parameters (wire name, Rust name, type).
    required: Vec<Param>,
    optional: Vec<Param>,
    request: Option<Ty>,
    response: Option<Ty>,
    pageable: bool,
    items: Option<(String, Ty)>,
}

struct Param {
    wire: String,
    rust: String,
    kind: ParamKind,
    doc: String,
}

enum ParamKind {
    Str,
    Num(&'static str),
    Enum(String),
}

/// The module's text.
pub fn render(input: &Input) -> String {
    let doc = input.doc;
    let hub = pascal(
        if doc.name.is_empty() {
            "api"
        } else {
            &doc.name
        },
        "Api",
    );
    let mut types = TypeGen::new(input.schemas, &[&hub]);
    let roots: Vec<String> = input
        .methods
        .iter()
        .flat_map(|(_, m)| m.request.iter().chain(m.response.iter()))
        .map(|r| r.reference.clone())
        .collect();
    let reachable = types.reachable(&roots);
    types.generate(&reachable);

    // The calls module's names and items.
    let mut calls = Names::default();
    let mut tree = Node::default();
    for (dotted, m) in &input.methods {
        let parts: Vec<&str> = dotted.split('.').collect();
        let (last, path) = parts.split_last().expect("a dotted path has a last part");
        let mut node = &mut tree;
        for p in path {
            node = node.children.entry(p.to_string()).or_default();
        }
        node.methods.push((last.to_string(), dotted.clone(), m));
    }
    let mut param_enums = Vec::new();
    let mut methods: BTreeMap<String, Method> = BTreeMap::new();
    for (dotted, m) in &input.methods {
        let method = describe(
            dotted,
            m,
            input.schemas,
            &types,
            &mut calls,
            &mut param_enums,
        );
        methods.insert(dotted.clone(), method);
    }
    let mut resource_names = BTreeMap::new();
    name_resources(&tree, "", &mut calls, &mut resource_names);

    let mut w = Writer::default();
    header(&mut w, input);
    let has_serde = types.items.iter().any(|i| !matches!(i, Item::Alias { .. }));
    if has_serde {
        w.line("use gapi::typed::serde::{Deserialize, Serialize};");
        w.line("");
    }
    hub_type(&mut w, doc, &hub, &tree, &methods, &resource_names);
    scopes(&mut w, doc, &input.methods);
    for item in &types.items {
        w.line("");
        match item {
            Item::Struct {
                name,
                doc,
                fields,
                extra,
            } => struct_item(&mut w, name, doc, fields, extra),
            Item::Enum {
                name,
                doc,
                variants,
            } => enum_type(&mut w, name, doc, variants, true),
            Item::Alias { name, doc, ty } => {
                doc_or(&mut w, doc, &format!("The `{name}` schema."));
                w.let_like(&format!("pub type {name} ="), &format!("{};", ty.rust("")));
            }
        }
    }
    w.line("");
    w.doc(&format!(
        "The resources and calls of [`{hub}`]: one builder per method, its required parameters given when it is made, the others set by name."
    ));
    w.open("pub mod calls {");
    for item in &param_enums {
        if let Item::Enum {
            name,
            doc,
            variants,
        } = item
        {
            enum_type(&mut w, name, doc, variants, false);
            w.line("");
        }
    }
    resources(&mut w, &tree, "", &resource_names, &methods, &hub);
    for (i, m) in methods.values().enumerate() {
        if i > 0 {
            w.line("");
        }
        call_type(&mut w, m);
    }
    w.close("}");
    w.line("");
    let json = crate::spec::excerpt(doc, input.schemas, &input.methods);
    let hashes = "#".repeat(raw_hashes(&json));
    w.line(
        "/// The chosen methods of the API as its Discovery document has them (no descriptions).",
    );
    w.line(&format!(
        "const SPEC_JSON: &str = r{hashes}\"{json}\"{hashes};"
    ));
    w.line("");
    w.line("static SPEC: gapi::typed::ApiSpec = gapi::typed::ApiSpec::new(SPEC_JSON);");
    w.finish()
}

/// How many `#` a raw string needs so `"#...` inside does not end it.
fn raw_hashes(s: &str) -> usize {
    let mut most = 0;
    for (i, _) in s.match_indices('"') {
        let run = s[i + 1..].chars().take_while(|&c| c == '#').count();
        most = most.max(run + 1);
    }
    most.max(1)
}

fn header(w: &mut Writer, input: &Input) {
    let doc = input.doc;
    w.line(&format!(
        "// @generated by gapi codegen from the {}:{} Discovery document (revision {}).",
        doc.name, doc.version, doc.revision
    ));
    w.line("// Do not edit: make it again with");
    let mut line = "//    ".to_string();
    for word in input.command.split(' ') {
        if line.len() + word.len() + 1 > crate::writer::MAX_WIDTH - 2 && line.len() > 6 {
            line.push_str(" \\");
            w.line(&line);
            line = "//        ".to_string();
        }
        line.push(' ');
        line.push_str(word);
    }
    w.line(&line);
    w.line("");
}

fn doc_or(w: &mut Writer, text: &str, fallback: &str) {
    if text.trim().is_empty() {
        w.line(&format!("/// {fallback}"));
    } else {
        w.doc(text);
    }
}

fn hub_type(
    w: &mut Writer,
    doc: &RestDescription,
    hub: &str,
    tree: &Node,
    methods: &BTreeMap<String, Method>,
    resource_names: &BTreeMap<String, String>,
) {
    let title = if doc.title.is_empty() {
        &doc.name
    } else {
        &doc.title
    };
    w.doc(&format!(
        "{title} ({}:{}), typed for the methods this module was made with. Cheap to clone.",
        doc.name, doc.version
    ));
    w.line("#[derive(Debug, Clone)]");
    w.open(&format!("pub struct {hub} {{"));
    w.line("hub: gapi::typed::Hub,");
    w.close("}");
    w.line("");
    w.open(&format!("impl {hub} {{"));
    w.line("/// Calls the API with `auth`: gapi's `Credentials`, an `ApiKey`, a `StaticToken`,");
    w.line("/// `NoAuth`, or any `gapi::typed::Authenticator`.");
    w.open("pub fn new(auth: impl gapi::typed::Authenticator) -> Self {");
    w.line("let hub = gapi::typed::Hub::new(&SPEC, auth);");
    w.line("Self { hub }");
    w.close("}");
    w.line("");
    w.line(
        "/// Sends every call to another root URL (an emulator, a regional endpoint) instead of",
    );
    w.line(&format!("/// <{}>.", doc.root_url));
    w.open("pub fn endpoint(self, url: impl Into<String>) -> Self {");
    w.line("let hub = self.hub.endpoint(url);");
    w.line("Self { hub }");
    w.close("}");
    w.line("");
    w.line(
        "/// A hub with every option of a `ServiceBuilder`: retries, HTTP client, quota project,",
    );
    w.line("/// policy, endpoint (its document is replaced by this module's).");
    w.fn_open(
        "pub fn from_builder",
        &["builder: gapi::typed::ServiceBuilder".to_string()],
        "gapi::typed::Result<Self>",
    );
    w.line("let hub = gapi::typed::Hub::from_builder(&SPEC, builder)?;");
    w.line("Ok(Self { hub })");
    w.close("}");
    w.line("");
    w.line("/// The untyped hub: its service calls any method of the API by name.");
    w.open("pub fn hub(&self) -> &gapi::typed::Hub {");
    w.line("&self.hub");
    w.close("}");
    let mut names = Names::with(HUB_METHODS);
    for (res, _) in tree.children.iter() {
        let ty = &resource_names[res];
        w.line("");
        w.line(&format!("/// The `{res}` resource."));
        let f = names.take(&snake(res));
        w.fn_open(
            &format!("pub fn {f}"),
            &["&self".into()],
            &format!("calls::{ty}"),
        );
        w.line("let hub = self.hub.clone();");
        w.struct_lit(&format!("calls::{ty}"), "hub");
        w.close("}");
    }
    for (name, dotted, _) in &tree.methods {
        w.line("");
        method_fn(
            w,
            &methods[dotted],
            &names.take(&snake(name)),
            "calls::",
            "",
        );
    }
    w.close("}");
}

fn scopes(w: &mut Writer, doc: &RestDescription, methods: &[(String, &RestMethod)]) {
    let mut used: Vec<&String> = methods.iter().flat_map(|(_, m)| m.scopes.iter()).collect();
    used.sort();
    used.dedup();
    if used.is_empty() {
        return;
    }
    w.line("");
    w.line(
        "/// The OAuth scopes of this module's methods (any one of a method's scopes allows it).",
    );
    w.open("pub mod scopes {");
    let mut names = Names::default();
    for (i, s) in used.iter().enumerate() {
        if i > 0 {
            w.line("");
        }
        let short = s
            .strip_prefix("https://www.googleapis.com/auth/")
            .unwrap_or_else(|| {
                s.trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
            });
        let name = names.take(&upper_snake(short));
        let desc = doc
            .auth
            .oauth2
            .scopes
            .get(s.as_str())
            .map(|d| d.description.clone())
            .unwrap_or_default();
        doc_or(w, &desc, &format!("The scope `{short}`."));
        w.let_like(
            &format!("pub const {name}: &str ="),
            &format!("{};", lit(s)),
        );
    }
    w.close("}");
}

fn struct_item(w: &mut Writer, name: &str, doc: &str, fields: &[crate::types::Field], extra: &str) {
    doc_or(w, doc, &format!("The `{name}` schema."));
    w.line("#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]");
    w.line("#[serde(crate = \"gapi::typed::serde\")]");
    w.item_open(&format!("pub struct {name}"));
    for f in fields {
        doc_or(w, &f.doc, &format!("The `{}` field.", f.wire));
        if f.name != f.wire {
            w.attr("serde", &format!("rename = {}", lit(&f.wire)));
        }
        if f.ty.has_str_int() {
            w.line("#[serde(default, with = \"gapi::typed::int64\")]");
        }
        w.line("#[serde(skip_serializing_if = \"Option::is_none\")]");
        w.field("pub ", &f.name, &format!("Option<{}>", f.ty.rust("")));
    }
    w.line("/// Fields this module does not know (newer than its document), kept as they came.");
    w.line("#[serde(flatten)]");
    w.field(
        "pub ",
        extra,
        "gapi::typed::Map<String, gapi::typed::Value>",
    );
    w.close("}");
}

fn enum_type(
    w: &mut Writer,
    name: &str,
    doc: &str,
    variants: &[crate::types::Variant],
    serde: bool,
) {
    doc_or(w, doc, &format!("The values of `{name}`."));
    w.line("#[derive(Debug, Clone, PartialEq, Eq, Hash)]");
    w.item_open(&format!("pub enum {name}"));
    for v in variants {
        doc_or(w, &v.doc, &format!("`{}`", v.wire.replace('`', "'")));
        w.line(&format!("{},", v.name));
    }
    w.line("/// A value this module does not know (newer than its document), as sent.");
    w.line("Other(String),");
    w.close("}");
    w.line("");
    w.impl_self_open(name);
    w.line("/// The value as it goes on the wire.");
    w.open("pub fn as_str(&self) -> &str {");
    w.open("match self {");
    for v in variants {
        w.arm(&format!("Self::{}", v.name), &lit(&v.wire));
    }
    w.arm("Self::Other(value)", "value");
    w.close("}");
    w.close("}");
    w.close("}");
    w.line("");
    w.impl_open("impl From<&str>", name);
    w.open("fn from(value: &str) -> Self {");
    w.open("match value {");
    for v in variants {
        w.arm(&lit(&v.wire), &format!("Self::{}", v.name));
    }
    w.arm("_", "Self::Other(String::from(value))");
    w.close("}");
    w.close("}");
    w.close("}");
    if !serde {
        return;
    }
    w.line("");
    w.impl_open("impl Serialize", name);
    w.open(
        "fn serialize<S: gapi::typed::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {",
    );
    w.line("s.serialize_str(self.as_str())");
    w.close("}");
    w.close("}");
    w.line("");
    w.impl_open("impl<'de> Deserialize<'de>", name);
    w.open(
        "fn deserialize<D: gapi::typed::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {",
    );
    w.line("let value = String::deserialize(d)?;");
    w.line("Ok(Self::from(value.as_str()))");
    w.close("}");
    w.close("}");
}

fn name_resources(
    node: &Node,
    prefix: &str,
    calls: &mut Names,
    out: &mut BTreeMap<String, String>,
) {
    for (name, child) in &node.children {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let ty = calls.take(&format!("{}Resource", pascal(&path, "R")));
        out.insert(path.clone(), ty);
        name_resources(child, &path, calls, out);
    }
}

fn resources(
    w: &mut Writer,
    node: &Node,
    prefix: &str,
    names: &BTreeMap<String, String>,
    methods: &BTreeMap<String, Method>,
    hub: &str,
) {
    for (name, child) in &node.children {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let ty = &names[&path];
        w.line(&format!("/// The `{path}` resource of [`super::{hub}`]."));
        w.line("#[derive(Debug, Clone)]");
        w.item_open(&format!("pub struct {ty}"));
        w.line("pub(super) hub: gapi::typed::Hub,");
        w.close("}");
        w.line("");
        w.impl_self_open(ty);
        let mut fn_names = Names::default();
        let mut first = true;
        for sub in child.children.keys() {
            if !first {
                w.line("");
            }
            first = false;
            let sub_path = format!("{path}.{sub}");
            let sub_ty = &names[&sub_path];
            w.line(&format!("/// The `{sub_path}` resource."));
            let f = fn_names.take(&snake(sub));
            w.fn_open(&format!("pub fn {f}"), &["&self".into()], sub_ty);
            w.line("let hub = self.hub.clone();");
            w.struct_lit(sub_ty, "hub");
            w.close("}");
        }
        for (mname, dotted, _) in &child.methods {
            if !first {
                w.line("");
            }
            first = false;
            method_fn(
                w,
                &methods[dotted],
                &fn_names.take(&snake(mname)),
                "",
                "super::",
            );
        }
        w.close("}");
        w.line("");
        resources(w, child, &path, names, methods, hub);
    }
}

/// The function that starts a call: required parameters (and the body) as arguments.
fn method_fn(w: &mut Writer, m: &Method, fn_name: &str, calls: &str, schemas: &str) {
    let desc = m.m.description.trim();
    doc_or(w, desc, &format!("Calls `{}`.", m.dotted));
    let mut args = vec!["&self".to_string()];
    let mut arg_names = Names::with(&["hub", "call"]);
    let mut given = Vec::new();
    for p in &m.required {
        let name = arg_names.take(&p.rust);
        args.push(format!("{name}: {}", p.kind.arg_type(calls)));
        given.push((p, name));
    }
    let request = m.request.as_ref().map(|t| {
        let name = arg_names.take("request");
        args.push(format!("{name}: {}", t.rust(schemas)));
        name
    });
    if args.len() > 8 {
        w.line("#[allow(clippy::too_many_arguments)]");
    }
    w.fn_open(
        &format!("pub fn {fn_name}"),
        &args,
        &format!("{calls}{}", m.call_name),
    );
    w.line("let hub = &self.hub;");
    w.let_call("call", "hub", "call", &[lit(&m.dotted)]);
    for (p, name) in given {
        p.kind.convert(w, name.as_str(), calls);
        w.let_call(
            "call",
            "call",
            "param",
            &[lit(&p.wire), p.kind.value(&name)],
        );
    }
    if let Some(name) = request {
        w.let_call("call", "call", "body", &[format!("&{name}")]);
    }
    w.struct_lit(&format!("{calls}{}", m.call_name), "call");
    w.close("}");
}

impl ParamKind {
    fn arg_type(&self, calls: &str) -> String {
        match self {
            ParamKind::Str => "impl Into<String>".into(),
            ParamKind::Num(t) => (*t).into(),
            ParamKind::Enum(e) => format!("impl Into<{calls}{e}>"),
        }
    }
    fn convert(&self, w: &mut Writer, name: &str, calls: &str) {
        if let ParamKind::Enum(e) = self {
            w.let_like(
                &format!("let {name}: {calls}{e} ="),
                &format!("{name}.into();"),
            );
        }
    }
    fn value(&self, name: &str) -> String {
        match self {
            ParamKind::Str => format!("{name}.into()"),
            ParamKind::Num(_) => name.to_string(),
            ParamKind::Enum(_) => format!("{name}.as_str()"),
        }
    }
}

/// The builder type of one method.
fn call_type(w: &mut Writer, m: &Method) {
    let answer = match &m.response {
        Some(t) => t.rust("super::"),
        None => "gapi::typed::Empty".to_string(),
    };
    let desc = m.m.description.trim();
    doc_or(w, desc, &format!("A call of `{}`.", m.dotted));
    w.line("///");
    let verb = m.m.http_method_or_get();
    w.line(&format!(
        "/// `{verb} {}` ({})",
        m.m.path.replace('`', "'"),
        m.m.id
    ));
    w.line("#[derive(Debug, Clone)]");
    w.line("#[must_use = \"a call does nothing until it is executed\"]");
    w.item_open(&format!("pub struct {}", m.call_name));
    w.field(
        "pub(super) ",
        "call",
        &format!("gapi::typed::Call<{answer}>"),
    );
    w.close("}");
    w.line("");
    w.impl_self_open(&m.call_name);
    let mut names = Names::with(CALL_METHODS);
    for p in &m.optional {
        let mut name = p.rust.clone();
        if names.is_taken(&name) {
            name = format!("set_{}", name.trim_end_matches('_'));
        }
        let name = names.take(&name);
        doc_or(w, &p.doc, &format!("Sets `{}`.", p.wire));
        if ["to_", "into_", "as_", "from_", "is_"]
            .iter()
            .any(|pre| name.starts_with(pre))
        {
            w.line("#[allow(clippy::wrong_self_convention)]");
        }
        w.fn_open(
            &format!("pub fn {name}"),
            &["self".into(), format!("value: {}", p.kind.arg_type(""))],
            "Self",
        );
        p.kind.convert(w, "value", "");
        w.line("let call = self.call;");
        w.let_call(
            "call",
            "call",
            "param",
            &[lit(&p.wire), p.kind.value("value")],
        );
        w.line("Self { call }");
        w.close("}");
        w.line("");
    }
    w.line("/// Asks for a partial answer: only the fields of this mask (`files(id,name)`).");
    w.open("pub fn fields(self, mask: impl Into<String>) -> Self {");
    w.line("let call = self.call;");
    w.line("let call = call.param(\"fields\", mask.into());");
    w.line("Self { call }");
    w.close("}");
    w.line("");
    w.line("/// Sets any parameter by its API name (global ones like `quotaUser` too).");
    w.fn_open(
        "pub fn param",
        &[
            "self".into(),
            "name: &str".into(),
            "value: impl Into<gapi::typed::ParamValue>".into(),
        ],
        "Self",
    );
    w.line("let call = self.call;");
    w.line("let call = call.param(name, value);");
    w.line("Self { call }");
    w.close("}");
    w.line("");
    w.line("/// Adds a request header.");
    w.fn_open(
        "pub fn header",
        &[
            "self".into(),
            "name: impl Into<String>".into(),
            "value: impl Into<String>".into(),
        ],
        "Self",
    );
    w.line("let call = self.call;");
    w.line("let call = call.header(name, value);");
    w.line("Self { call }");
    w.close("}");
    w.line("");
    w.line("/// The request this call would send, built without sending anything.");
    w.fn_open(
        "pub fn prepare",
        &["&self".into()],
        "gapi::typed::Result<gapi::typed::PreparedRequest>",
    );
    w.line("self.call.prepare()");
    w.close("}");
    w.line("");
    if m.response.is_some() {
        w.line("/// Sends the call and decodes the answer.");
        w.fn_open(
            "pub async fn execute",
            &["self".into()],
            &format!("gapi::typed::Result<{answer}>"),
        );
        w.line("self.call.execute().await");
    } else {
        w.line("/// Sends the call (the method answers nothing).");
        w.open("pub async fn execute(self) -> gapi::typed::Result<()> {");
        w.line("self.call.execute().await.map(drop)");
    }
    w.close("}");
    if m.pageable {
        w.line("");
        w.line("/// Every page of the answer, following `nextPageToken` (`Unpin`: call `.next().await`).");
        w.fn_open(
            "pub fn pages",
            &["self".into()],
            &format!("gapi::typed::Pages<{answer}>"),
        );
        w.line("self.call.pages()");
        w.close("}");
        if let Some((field, ty)) = &m.items {
            w.line("");
            w.line(&format!(
                "/// The `{field}` of every page, one by one (`Unpin`: call `.next().await`)."
            ));
            w.fn_open(
                "pub fn items",
                &["self".into()],
                &format!("gapi::typed::Items<{}>", ty.rust("super::")),
            );
            w.line(&format!("self.call.items({})", lit(field)));
            w.close("}");
        }
    }
    if m.m.supports_media_upload || m.m.media_upload.is_some() {
        w.line("");
        w.line("/// Uploads media with the call (its body, if any, is the metadata): a file");
        w.line("/// (`MediaSource::path`), bytes, or an async reader.");
        w.fn_open(
            "pub fn upload",
            &[
                "self".into(),
                "media: impl Into<gapi::typed::MediaSource>".into(),
            ],
            &format!("gapi::typed::Upload<{answer}>"),
        );
        w.line("self.call.upload(media)");
        w.close("}");
    }
    if m.m.supports_media_download {
        w.line("");
        w.line("/// Downloads the media (`alt=media`) to a file or a writer, checked against the");
        w.line("/// server's checksum.");
        w.open("pub fn download(self) -> gapi::typed::Download {");
        w.line("self.call.download()");
        w.close("}");
    }
    w.close("}");
}

/// Works out names, parameter types, paging and items of one method.
fn describe<'a>(
    dotted: &str,
    m: &'a RestMethod,
    schemas: &BTreeMap<String, JsonSchema>,
    types: &TypeGen,
    calls: &mut Names,
    enums: &mut Vec<Item>,
) -> Method<'a> {
    let base = pascal(dotted, "M");
    let call_name = calls.take(&format!("{base}Call"));
    let mut required_names: Vec<&str> = m.parameter_order.iter().map(String::as_str).collect();
    for (n, p) in m.parameters.iter() {
        if p.required && !required_names.contains(&n) {
            required_names.push(n);
        }
    }
    let mut setter_names = Names::default();
    let mut make = |wire: &str, p: &JsonSchema, calls: &mut Names, enums: &mut Vec<Item>| {
        let kind = if is_enum(p) {
            // Named after the method's last two words, to keep signatures short.
            let short: Vec<&str> = dotted.rsplit('.').take(2).collect();
            let short = format!("{}.{}", short.get(1).unwrap_or(&""), short[0]);
            let name = calls.take(&format!("{}{}", pascal(&short, "M"), pascal(wire, "P")));
            enums.push(enum_item(
                &name,
                p,
                p.description.clone().unwrap_or_default(),
            ));
            ParamKind::Enum(name)
        } else {
            match (p.type_.as_deref(), p.format.as_deref()) {
                (Some("integer"), Some("int32")) => ParamKind::Num("i32"),
                (Some("integer"), Some("uint32")) => ParamKind::Num("u32"),
                (Some("integer"), Some("uint64")) | (Some("string"), Some("uint64")) => {
                    ParamKind::Num("u64")
                }
                (Some("integer"), _) | (Some("string"), Some("int64")) => ParamKind::Num("i64"),
                (Some("number"), _) => ParamKind::Num("f64"),
                (Some("boolean"), _) => ParamKind::Num("bool"),
                _ => ParamKind::Str,
            }
        };
        let mut doc = p.description.clone().unwrap_or_default();
        if p.repeated {
            doc.push_str("\n\nRepeated: each call adds a value.");
        }
        Param {
            wire: wire.to_string(),
            rust: setter_names.take(&snake(wire)),
            kind,
            doc,
        }
    };
    let mut required = Vec::new();
    for n in &required_names {
        if let Some(p) = m.parameters.get(n) {
            required.push(make(n, p, calls, enums));
        }
    }
    let mut optional = Vec::new();
    for (n, p) in m.parameters.iter() {
        if !required_names.contains(&n) {
            optional.push(make(n, p, calls, enums));
        }
    }
    let named = |r: &str| match types.named.get(r) {
        Some(n) => Ty::Named(n.clone()),
        None => Ty::Any,
    };
    let request = m.request.as_ref().map(|r| named(&r.reference));
    let response = m.response.as_ref().map(|r| named(&r.reference));
    let response_schema = m.response.as_ref().and_then(|r| schemas.get(&r.reference));
    let token_in_body = m
        .request
        .as_ref()
        .and_then(|r| schemas.get(&r.reference))
        .is_some_and(|s| s.properties.contains_key("pageToken"));
    let pageable = (m.parameters.contains_key("pageToken") || token_in_body)
        && response_schema.is_some_and(|s| s.properties.contains_key("nextPageToken"));
    let items = if pageable {
        response_schema.and_then(|s| items_field(dotted, s, types))
    } else {
        None
    };
    Method {
        dotted: dotted.to_string(),
        call_name,
        m,
        required,
        optional,
        request,
        response,
        pageable,
        items,
    }
}

/// The list field of a page: its only array, else the one named like the resource or
/// `items`.
fn items_field(dotted: &str, s: &JsonSchema, types: &TypeGen) -> Option<(String, Ty)> {
    let arrays: Vec<(&str, &JsonSchema)> = s
        .properties
        .iter()
        .filter(|(_, p)| p.type_.as_deref() == Some("array"))
        .collect();
    let resource = dotted.rsplit('.').nth(1).unwrap_or("");
    let pick = match arrays.as_slice() {
        [one] => Some(*one),
        many => many
            .iter()
            .find(|(n, _)| *n == resource)
            .or_else(|| many.iter().find(|(n, _)| *n == "items"))
            .copied(),
    }?;
    let item = pick.1.items.as_deref()?;
    let ty = match &item.reference {
        Some(r) => Ty::Named(types.named.get(r)?.clone()),
        None => return None,
    };
    Some((pick.0.to_string(), ty))
}
