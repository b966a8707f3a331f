//! The Rust types for the schemas the chosen methods reach: structs (with `Option` fields, the
//! unknown fields kept), enums that accept unknown values, and aliases; nested anonymous
//! objects and enums named after their place (`FileContentHints`), and fields boxed where
//! structs would contain themselves.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use gapi_discovery::JsonSchema;

use crate::names::{Names, RESERVED_TYPES, pascal, snake};

/// A field's or parameter's Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `String`.
    Str,
    /// `bool`.
    Bool,
    /// An integer sent as a JSON number (`i32`, `u32`, `i64`, `u64`).
    Int(&'static str),
    /// A 64-bit integer sent as a JSON string (`i64`, `u64`).
    StrInt(&'static str),
    /// `f64`.
    Float,
    /// Any JSON value.
    Any,
    /// A JSON object of anything.
    Object,
    /// A generated type, by Rust name.
    Named(String),
    /// A list.
    Vec(Box<Ty>),
    /// A map with string keys.
    Map(Box<Ty>),
    /// A boxed value (breaks a cycle of structs).
    Boxed(Box<Ty>),
}

impl Ty {
    /// The type as written in the module; `prefix` goes before generated names (`super::`).
    pub fn rust(&self, prefix: &str) -> String {
        match self {
            Ty::Str => "String".into(),
            Ty::Bool => "bool".into(),
            Ty::Int(t) | Ty::StrInt(t) => (*t).into(),
            Ty::Float => "f64".into(),
            Ty::Any => "gapi::typed::Value".into(),
            Ty::Object => "gapi::typed::Map<String, gapi::typed::Value>".into(),
            Ty::Named(n) => format!("{prefix}{n}"),
            Ty::Vec(t) => format!("Vec<{}>", t.rust(prefix)),
            Ty::Map(t) => format!("std::collections::BTreeMap<String, {}>", t.rust(prefix)),
            Ty::Boxed(t) => format!("Box<{}>", t.rust(prefix)),
        }
    }

    /// Whether integers inside travel as strings (the field needs `gapi::typed::int64`).
    pub fn has_str_int(&self) -> bool {
        match self {
            Ty::StrInt(_) => true,
            Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => t.has_str_int(),
            _ => false,
        }
    }
}

/// One field of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Type (inside the `Option`).
    pub ty: Ty,
    /// Description.
    pub doc: String,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub name: String,
    /// Wire value.
    pub wire: String,
    /// Description.
    pub doc: String,
}

/// A generated item.
#[derive(Debug, Clone)]
pub enum Item {
    /// A struct for an object schema.
    Struct {
        /// Rust name.
        name: String,
        /// Description.
        doc: String,
        /// Fields in document order.
        fields: Vec<Field>,
        /// The name of the field keeping unknown properties.
        extra: String,
    },
    /// An enum for a string schema with allowed values.
    Enum {
        /// Rust name.
        name: String,
        /// Description.
        doc: String,
        /// Known values.
        variants: Vec<Variant>,
    },
    /// An alias for a named schema that is not an object (`type X = Vec<Y>`).
    Alias {
        /// Rust name.
        name: String,
        /// Description.
        doc: String,
        /// The aliased type.
        ty: Ty,
    },
}

impl Item {
    fn name(&self) -> &str {
        match self {
            Item::Struct { name, .. } | Item::Enum { name, .. } | Item::Alias { name, .. } => name,
        }
    }
}

/// Makes the items of a module from the document's schemas.
pub struct TypeGen<'a> {
    schemas: &'a BTreeMap<String, JsonSchema>,
    /// Names of the module's top level.
    pub names: Names,
    /// Schema name → Rust name, for every reachable named schema.
    pub named: BTreeMap<String, String>,
    /// The items, in output order.
    pub items: Vec<Item>,
}

impl<'a> TypeGen<'a> {
    /// A generator for these schemas, with `taken` names already used at the top level.
    pub fn new(schemas: &'a BTreeMap<String, JsonSchema>, taken: &[&str]) -> Self {
        let mut reserved: Vec<&str> = RESERVED_TYPES.to_vec();
        reserved.extend(["Serialize", "Deserialize"]);
        reserved.extend(taken);
        TypeGen {
            schemas,
            names: Names::with(&reserved),
            named: BTreeMap::new(),
            items: Vec::new(),
        }
    }

    /// Every named schema reachable from `roots` (through properties, items and maps).
    pub fn reachable(&self, roots: &[String]) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = roots.to_vec();
        while let Some(name) = todo.pop() {
            if !self.schemas.contains_key(&name) || !seen.insert(name.clone()) {
                continue;
            }
            let mut refs = Vec::new();
            collect_refs(&self.schemas[&name], &mut refs);
            todo.extend(refs);
        }
        seen
    }

    /// Generates the items of these named schemas (sorted by name), nested types after their
    /// parent, then boxes the fields that close a cycle of structs.
    pub fn generate(&mut self, schemas: &BTreeSet<String>) {
        for s in schemas {
            let mut want = pascal(s, "T");
            if self.names.is_taken(&want) {
                want.push_str("Schema");
            }
            let name = self.names.take(&want);
            self.named.insert(s.clone(), name);
        }
        let mut order: Vec<(&String, &String)> = self.named.iter().collect();
        order.sort_by(|a, b| a.1.cmp(b.1));
        let order: Vec<(String, String)> = order
            .into_iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        for (schema, name) in order {
            let s = &self.schemas[&schema];
            let doc = s.description.clone().unwrap_or_default();
            if is_struct(s) {
                self.object(&name, s, doc);
            } else if is_enum(s) {
                let item = enum_item(&name, s, doc);
                self.items.push(item);
            } else {
                let mut nested = Vec::new();
                let ty = self.ty(s, &name, &mut nested, true);
                self.items.push(Item::Alias { name, doc, ty });
                self.items.extend(nested);
            }
        }
        self.box_cycles();
    }

    fn object(&mut self, name: &str, s: &JsonSchema, doc: String) {
        let mut nested = Vec::new();
        let mut fields = Vec::new();
        let mut field_names = Names::default();
        for (wire, prop) in s.properties.iter() {
            let rust = field_names.take(&snake(wire));
            let ty = self.ty(
                prop,
                &format!("{name}{}", pascal(wire, "F")),
                &mut nested,
                false,
            );
            let mut doc = prop.description.clone().unwrap_or_default();
            if prop.read_only {
                doc.push_str(if doc.is_empty() {
                    "Output only."
                } else {
                    "\n\nOutput only."
                });
            }
            fields.push(Field {
                name: rust,
                wire: wire.to_string(),
                ty,
                doc,
            });
        }
        let extra = field_names.take("extra");
        self.items.push(Item::Struct {
            name: name.to_string(),
            doc,
            fields,
            extra,
        });
        self.items.extend(nested);
    }

    /// The type of `s`; an inline object or enum becomes a nested item named `want`.
    fn ty(&mut self, s: &JsonSchema, want: &str, nested: &mut Vec<Item>, top: bool) -> Ty {
        if let Some(r) = &s.reference {
            return match self.named.get(r) {
                Some(n) => Ty::Named(n.clone()),
                None => Ty::Any,
            };
        }
        match s.type_.as_deref() {
            Some("object") | None if !s.properties.is_empty() => {
                let name = if top {
                    want.to_string()
                } else {
                    self.names.take(want)
                };
                let mut inner = Vec::new();
                std::mem::swap(&mut inner, &mut self.items);
                self.object(&name, s, s.description.clone().unwrap_or_default());
                std::mem::swap(&mut inner, &mut self.items);
                nested.extend(inner);
                Ty::Named(name)
            }
            Some("object") => match &s.additional_properties {
                Some(v) => Ty::Map(Box::new(self.ty(v, want, nested, false))),
                None => Ty::Object,
            },
            Some("array") => match &s.items {
                Some(i) => Ty::Vec(Box::new(self.ty(i, want, nested, false))),
                None => Ty::Vec(Box::new(Ty::Any)),
            },
            Some("string") if is_enum(s) => {
                let name = if top {
                    want.to_string()
                } else {
                    self.names.take(want)
                };
                nested.push(enum_item(
                    &name,
                    s,
                    s.description.clone().unwrap_or_default(),
                ));
                Ty::Named(name)
            }
            Some("string") => match s.format.as_deref() {
                Some("int64") => Ty::StrInt("i64"),
                Some("uint64") => Ty::StrInt("u64"),
                _ => Ty::Str,
            },
            Some("integer") => Ty::Int(match s.format.as_deref() {
                Some("int32") => "i32",
                Some("uint32") => "u32",
                Some("uint64") => "u64",
                _ => "i64",
            }),
            Some("number") => Ty::Float,
            Some("boolean") => Ty::Bool,
            _ => Ty::Any,
        }
    }

    /// Boxes every field whose struct type can reach back to the field's own struct without
    /// passing a `Vec` or a map (such a type would have no finite size).
    fn box_cycles(&mut self) {
        let index: HashMap<String, usize> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.name().to_string(), i))
            .collect();
        let edges: Vec<Vec<usize>> = self
            .items
            .iter()
            .map(|it| match it {
                Item::Struct { fields, .. } => fields
                    .iter()
                    .filter_map(|f| direct(&f.ty, &self.items, &index))
                    .collect(),
                Item::Alias { ty, .. } => direct(ty, &self.items, &index).into_iter().collect(),
                Item::Enum { .. } => Vec::new(),
            })
            .collect();
        let scc = components(&edges);
        for i in 0..self.items.len() {
            let Item::Struct { fields, .. } = &mut self.items[i] else {
                continue;
            };
            for f in fields.iter_mut() {
                if let Ty::Named(n) = &f.ty
                    && let Some(&j) = index.get(n)
                    && scc[j] == scc[i]
                {
                    f.ty = Ty::Boxed(Box::new(f.ty.clone()));
                }
            }
        }
    }
}

/// The item a field of type `ty` contains directly (not behind a `Vec`, map or `Box`).
fn direct(ty: &Ty, items: &[Item], index: &HashMap<String, usize>) -> Option<usize> {
    let Ty::Named(n) = ty else { return None };
    let &i = index.get(n)?;
    match &items[i] {
        Item::Enum { .. } => None,
        _ => Some(i),
    }
}

/// Strongly connected components (Tarjan, iterative): the component number of each node.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let (mut next, mut ncomp) = (0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

fn collect_refs(s: &JsonSchema, out: &mut Vec<String>) {
    if let Some(r) = &s.reference {
        out.push(r.clone());
    }
    for (_, p) in s.properties.iter() {
        collect_refs(p, out);
    }
    if let Some(i) = &s.items {
        collect_refs(i, out);
    }
    if let Some(a) = &s.additional_properties {
        collect_refs(a, out);
    }
}

fn is_struct(s: &JsonSchema) -> bool {
    s.reference.is_none()
        && !s.properties.is_empty()
        && matches!(s.type_.as_deref(), Some("object") | None)
}

/// Whether a schema is a string with allowed values.
pub fn is_enum(s: &JsonSchema) -> bool {
    s.reference.is_none() && s.type_.as_deref() == Some("string") && !s.enum_.is_empty()
}

/// The enum item for a string schema with allowed values.
pub fn enum_item(name: &str, s: &JsonSchema, doc: String) -> Item {
    let mut names = Names::with(&["Other", "Self"]);
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for (i, wire) in s.enum_.iter().enumerate() {
        if !seen.insert(wire.clone()) {
            continue;
        }
        let mut want = pascal(wire, "V");
        if want == "Other" || want == "Self" {
            want.push_str("Value");
        }
        variants.push(Variant {
            name: names.take(&want),
            wire: wire.clone(),
            doc: s.enum_descriptions.get(i).cloned().unwrap_or_default(),
        });
    }
    Item::Enum {
        name: name.to_string(),
        doc,
        variants,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        // 0 -> 1 -> 0 is a cycle; 2 -> 2 too; 3 -> 0 is not in one.
        let c = components(&[vec![1], vec![0], vec![2], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[3], c[0]);
        assert!(c.iter().filter(|&&x| x == c[2]).count() == 1);
        let c = components(&[vec![], vec![0]]);
        assert_ne!(c[0], c[1]);
    }
}
