//! `gapi describe`: what words name inside an API (the document work is `call::document`'s).

use std::process::ExitCode;

use crate::call::document::{
    Node, api_and_version, help_text, load_document, resolve, schema_text,
};
use crate::cli::{DescribeArgs, GlobalArgs};
use crate::output::visible_lines;

/// `gapi describe <api>[:<version>] [<resource>... <method>]`, or `gapi describe <api> <Schema>`.
pub fn run(_global: &GlobalArgs, args: DescribeArgs) -> anyhow::Result<ExitCode> {
    let (api, version) = api_and_version(&args.path[0])?;
    let doc = load_document(&api, &version)?;
    let node = match resolve(&doc, &args.path[1..]) {
        Ok(node) => node,
        Err(e) => {
            // `gapi describe drive File`: a schema name instead of a resource.
            if let [name] = &args.path[1..]
                && let Some(schema) = doc.schema(name)
            {
                print!("{}", visible_lines(&schema_text(&doc, name, &schema)));
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e);
        }
    };
    print!("{}", visible_lines(&help_text(&doc, &node, true)));
    if let Node::Method(_, m) = &node {
        for r in m.request.iter().chain(m.response.iter()) {
            if let Some(schema) = doc.schema(&r.reference) {
                print!(
                    "\n{}",
                    visible_lines(&schema_text(&doc, &r.reference, &schema))
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
