//! Non-fatal safety checks on secret-bearing files: permissions and git work trees.

use std::path::Path;

/// Warnings about a file that holds secrets: readable by group/others, or inside a git work
/// tree (where it may get committed). Empty when all is well.
pub fn file_warnings(path: &Path) -> Vec<String> {
    let mut out = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Permission advice only makes sense for a regular file (never `chmod 600 /dev/null`).
        if let Some(meta) = std::fs::metadata(path).ok().filter(|m| m.is_file()) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                out.push(format!(
                    "{} is readable by other users (mode {mode:o}); run `chmod 600 {}`",
                    path.display(),
                    path.display()
                ));
            }
        }
    }
    if let Some(root) = git_work_tree(path) {
        out.push(format!(
            "{} is inside the git work tree {}; keep secrets out of source trees (or list the \
             file in .gitignore)",
            path.display(),
            root.display()
        ));
    }
    out
}

/// The enclosing git work tree of `path`, if any.
pub(crate) fn git_work_tree(path: &Path) -> Option<std::path::PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let mut dir = abs.parent();
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_on_open_permissions_and_git() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let p = dir.path().join("client_secret.json");
        std::fs::write(&p, "{}").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let w = file_warnings(&p);
        assert!(w.iter().any(|m| m.contains("git work tree")), "{w:?}");
        #[cfg(unix)]
        assert!(w.iter().any(|m| m.contains("chmod 600")), "{w:?}");
    }

    #[cfg(unix)]
    #[test]
    fn quiet_for_private_file_outside_git() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(&p, "{}").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        // /tmp is not inside a git tree on this machine; guard anyway.
        if git_work_tree(&p).is_none() {
            assert!(file_warnings(&p).is_empty());
        }
    }
}
