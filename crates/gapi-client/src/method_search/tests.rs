//! The scorer on small synthetic indexes (stemming, stop words, synonyms, ranking order), and
//! the bundled index against the bundle.

use super::index::Index;
use super::*;

/// A hand-written method: `(dotted, flags, params, description)`.
type M<'a> = (&'a str, &'a str, &'a str, &'a str);

/// An index of hand-written APIs: `(name, title, methods)`.
fn synthetic(apis: &[(&str, &str, &[M])]) -> Index {
    synthetic_with(apis, "")
}

/// [`synthetic`] with a vocabulary text.
fn synthetic_with(apis: &[(&str, &str, &[M])], vocabulary: &str) -> Index {
    let (vocabulary, errors) = vocabulary::parse(vocabulary);
    assert!(errors.is_empty(), "{errors:?}");
    let mut text = String::from("gapi-search-index 1\n");
    for (name, title, methods) in apis {
        text.push_str(&format!("A\t{name}\tv1\t{title}\t\n"));
        for (dotted, flags, params, description) in *methods {
            text.push_str(&format!(
                "M\t{dotted}\t{name}.{dotted}\tGET\t{flags}\t{params}\t{description}\n"
            ));
        }
    }
    Index::from_search_text(&text, &vocabulary).expect("synthetic index parses")
}

/// The ids `query` ranks, best first.
fn ranked(index: &Index, query: &str) -> Vec<String> {
    rank::rank(index, query, |_| true, 10)
        .into_iter()
        .map(|(m, _)| index.methods[m].id.clone())
        .collect()
}

fn drive_like() -> Index {
    synthetic(&[
        (
            "drive",
            "Google Drive API",
            &[
                ("files.list", "-", "pageSize q", "Lists the user's files."),
                ("files.create", "u", "uploadType", "Creates a new file."),
                ("files.copy", "-", "fileId", "Creates a copy of a file."),
                ("files.delete", "-", "fileId", "Permanently deletes a file."),
                (
                    "permissions.create",
                    "-",
                    "fileId",
                    "Creates a permission for a file or shared drive.",
                ),
            ],
        ),
        (
            "classroom",
            "Google Classroom API",
            &[
                (
                    "courses.list",
                    "-",
                    "pageSize",
                    "Returns a list of courses.",
                ),
                (
                    "courses.courseWork.list",
                    "-",
                    "courseId",
                    "Returns a list of course work.",
                ),
                (
                    "userProfiles.guardianInvitations.create",
                    "-",
                    "studentId",
                    "Creates a guardian invitation, and sends an email to the guardian.",
                ),
            ],
        ),
        (
            "gmail",
            "Gmail API",
            &[
                (
                    "users.messages.send",
                    "u",
                    "userId",
                    "Sends the specified message to the recipients.",
                ),
                (
                    "users.messages.list",
                    "-",
                    "userId q",
                    "Lists the messages in the user's mailbox.",
                ),
                (
                    "users.labels.list",
                    "-",
                    "userId",
                    "Lists all labels in the user's mailbox.",
                ),
            ],
        ),
    ])
}

#[test]
fn every_word_need_not_match_and_stop_words_do_not_count() {
    let index = drive_like();
    // "in" and "my" never match; they must not hide the method (issue 19's first example).
    assert_eq!(
        ranked(&index, "list files in my drive")[0],
        "drive.files.list"
    );
    assert_eq!(
        ranked(&index, "list the files in my drive"),
        ranked(&index, "list files drive")
    );
    // A word nothing has lowers every score alike.
    assert_eq!(ranked(&index, "list files zzqx")[0], "drive.files.list");
    assert!(ranked(&index, "zzqx").is_empty());
    assert!(ranked(&index, "the of and").is_empty());
}

#[test]
fn inflections_meet_through_the_stemmer() {
    let index = drive_like();
    assert_eq!(ranked(&index, "listing file")[0], "drive.files.list");
    assert_eq!(ranked(&index, "deleting files")[0], "drive.files.delete");
    assert_eq!(ranked(&index, "copies of a file")[0], "drive.files.copy");
}

#[test]
fn synonyms_find_what_the_api_calls_something_else() {
    let index = drive_like();
    // Issue 19: "send an email" ranked a Classroom invitation first and never showed Gmail.
    assert_eq!(
        ranked(&index, "send an email")[0],
        "gmail.users.messages.send"
    );
    // A thing: the mail people read is Gmail's messages.
    assert_eq!(
        ranked(&index, "list my email")[0],
        "gmail.users.messages.list"
    );
    // An intent: people "remove" what the API "deletes", "share" by creating a permission.
    assert_eq!(ranked(&index, "remove a file")[0], "drive.files.delete");
    assert_eq!(
        ranked(&index, "share a file")[0],
        "drive.permissions.create"
    );
    // A media method answers "upload" by its name.
    assert_eq!(ranked(&index, "upload a file")[0], "drive.files.create");
    // Only one way: "message" does not pull in everything about email.
    let hits = ranked(&index, "message");
    assert!(hits.iter().all(|id| id.starts_with("gmail.")), "{hits:?}");
}

#[test]
fn exact_names_beat_longer_ones_containing_the_word() {
    let index = drive_like();
    assert_eq!(ranked(&index, "list courses")[0], "classroom.courses.list");
    assert_eq!(
        ranked(&index, "list course work")[0],
        "classroom.courses.courseWork.list"
    );
    assert_eq!(ranked(&index, "list labels")[0], "gmail.users.labels.list");
}

#[test]
fn well_known_apis_win_ties_and_deprecated_methods_lose_them() {
    let same: &[M] = &[("buckets.list", "-", "project", "Lists buckets.")];
    // Two APIs with the same text: the well-known one first, though listed second and with
    // the longer id.
    let index = synthetic(&[
        ("aastor", "Store API", same),
        ("storage", "Store API", same),
    ]);
    assert_eq!(
        ranked(&index, "list buckets"),
        ["storage.buckets.list", "aastor.buckets.list"]
    );
    let index = synthetic(&[(
        "zzstore",
        "Store API",
        &[
            ("buckets.list", "x", "project", "Lists buckets."),
            ("buckets.listAll", "-", "project", "Lists buckets."),
        ],
    )]);
    assert_eq!(ranked(&index, "list buckets")[0], "zzstore.buckets.listAll");
}

#[test]
fn a_filter_keeps_only_the_named_api() {
    let index = drive_like();
    let gmail = index.apis.iter().position(|a| a.name == "gmail").unwrap();
    let hits = rank::rank(&index, "list", |a| a == gmail, 10);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(
        hits.iter()
            .all(|(m, _)| index.methods[*m].id.starts_with("gmail."))
    );
    let scores: Vec<f32> = hits.iter().map(|h| h.1).collect();
    assert!(scores[0] >= scores[1], "best first: {scores:?}");
}

/// Two APIs with the same words in their methods' descriptions, so only the mechanism under
/// test can tell their methods apart.
fn look_alike() -> Index {
    let notes: &[M] = &[
        ("notes.get", "-", "name", "A note about the project."),
        ("notes.list", "-", "parent", "A note about the project."),
        ("notes.delete", "-", "name", "A note about the project."),
        ("notes.insert", "-", "parent", "A note about the project."),
        ("notes.patch", "-", "name", "A note about the project."),
        (
            "notes.listReferrers",
            "-",
            "name",
            "A note about the project.",
        ),
    ];
    synthetic(&[
        ("keepy", "Keepy API", notes),
        ("aanote", "Other API", notes),
    ])
}

#[test]
fn the_querys_verb_picks_the_method_that_does_it() {
    let index = look_alike();
    // Everyday verbs, none of them a method name: each finds the method doing it.
    assert_eq!(
        ranked(&index, "trash a note in keepy")[0],
        "keepy.notes.delete"
    );
    assert_eq!(
        ranked(&index, "make a note in keepy")[0],
        "keepy.notes.insert"
    );
    assert_eq!(
        ranked(&index, "edit a note in keepy")[0],
        "keepy.notes.patch"
    );
    assert_eq!(ranked(&index, "show a note in keepy")[0], "keepy.notes.get");
    // A read verb with a plural object lists; a name doing more than asked comes after.
    assert_eq!(ranked(&index, "get my keepy notes")[0], "keepy.notes.list");
    assert_eq!(ranked(&index, "list keepy notes")[0], "keepy.notes.list");
}

#[test]
fn a_named_api_is_lifted_and_joined_words_meet_one_name() {
    let index = look_alike();
    // Without the name the well-known tie-break (id length) decides; naming the API wins.
    assert_eq!(ranked(&index, "delete a note")[0], "keepy.notes.delete");
    assert_eq!(
        ranked(&index, "delete a note in aanote")[0],
        "aanote.notes.delete"
    );
    // Only the named API's methods that match the task: the name alone lifts nothing.
    let index = synthetic(&[
        (
            "beta",
            "Beta API",
            &[("tasks.list", "-", "", "Lists things.")],
        ),
        (
            "alpha",
            "Alpha API",
            &[("tasklists.list", "-", "", "Lists things.")],
        ),
    ]);
    // "task lists" is the API's `tasklists`, not the `tasks` resource.
    assert_eq!(
        ranked(&index, "show my task lists")[0],
        "alpha.tasklists.list"
    );
}

/// An index of one hand-written API in the search text's version 2: each method
/// `(dotted, body field names, description)`.
fn synthetic_v2(name: &str, title: &str, methods: &[(&str, &str, &str)]) -> Index {
    let mut text = format!("gapi-search-index 2\nA\t{name}\tv1\t{title}\t\n");
    for (dotted, body, description) in methods {
        text.push_str(&format!(
            "M\t{dotted}\t{name}.{dotted}\tPOST\t-\t\t{description}\t{body}\n"
        ));
    }
    Index::from_search_text(&text, &Default::default()).expect("synthetic index parses")
}

#[test]
fn request_body_field_names_find_the_edit_method() {
    // A batchUpdate's description names none of what it does; its request kinds do.
    let index = synthetic_v2(
        "docs",
        "Google Docs API",
        &[
            (
                "documents.batchUpdate",
                "requests insertText replaceAllText createParagraphBullets",
                "Applies one or more updates to the document.",
            ),
            (
                "documents.create",
                "title body",
                "Creates a blank document.",
            ),
            (
                "documents.get",
                "",
                "Gets the latest version of the document.",
            ),
        ],
    );
    assert_eq!(
        ranked(&index, "replace all text in a document")[0],
        "docs.documents.batchUpdate"
    );
    assert_eq!(
        ranked(&index, "add bullets to paragraphs")[0],
        "docs.documents.batchUpdate"
    );
}

#[test]
fn a_method_on_the_thing_the_query_names_is_lifted() {
    let index = synthetic(&[(
        "compute",
        "Compute Engine API",
        &[
            (
                "storagePools.listDisks",
                "-",
                "project zone storagePool showDeleted",
                "Lists the disks in a specified storage pool of the project.",
            ),
            (
                "disks.list",
                "-",
                "project zone",
                "Retrieves a list of persistent disks contained within the specified zone.",
            ),
            (
                "storagePools.list",
                "-",
                "project zone",
                "Retrieves a list of storage pools contained within the specified zone.",
            ),
        ],
    )]);
    assert_eq!(
        ranked(&index, "show the disks in my project")[0],
        "compute.disks.list"
    );
    // The name says what else it acts on: it keeps its lift for a query naming both.
    assert_eq!(
        ranked(&index, "list the disks in a storage pool")[0],
        "compute.storagePools.listDisks"
    );
}

#[test]
fn another_name_of_an_api_lifts_it() {
    let index = synthetic(&[
        (
            "drive",
            "Google Drive API",
            &[("files.delete", "-", "fileId", "Permanently deletes a file.")],
        ),
        (
            "storage",
            "Cloud Storage JSON API",
            &[
                ("objects.delete", "-", "bucket object", "Deletes an object."),
                (
                    "buckets.list",
                    "-",
                    "project",
                    "Retrieves a list of buckets.",
                ),
            ],
        ),
    ]);
    // `gcs` is Cloud Storage, where a file is an object.
    assert_eq!(
        ranked(&index, "delete a file in gcs")[0],
        "storage.objects.delete"
    );
    assert_eq!(ranked(&index, "delete a file")[0], "drive.files.delete");
}

#[test]
fn a_synonym_joins_the_next_word_into_one_name() {
    let index = synthetic(&[(
        "tasks",
        "Google Tasks API",
        &[
            (
                "tasks.insert",
                "-",
                "tasklist",
                "Creates a new task on the specified task list.",
            ),
            (
                "tasklists.insert",
                "-",
                "",
                "Creates a new task list and adds it to the user's task lists.",
            ),
        ],
    )]);
    // A to-do is a task; a to-do list is a `tasklists`.
    assert_eq!(
        ranked(&index, "create a new to-do list")[0],
        "tasks.tasklists.insert"
    );
}

#[test]
fn many_at_once_is_a_batch_method() {
    let index = synthetic(&[(
        "gmail",
        "Gmail API",
        &[
            (
                "users.messages.delete",
                "-",
                "userId id",
                "Immediately and permanently deletes the specified message.",
            ),
            (
                "users.messages.batchDelete",
                "-",
                "userId",
                "Deletes many messages by message ID.",
            ),
        ],
    )]);
    assert_eq!(
        ranked(&index, "delete several emails at once")[0],
        "gmail.users.messages.batchDelete"
    );
    assert_eq!(
        ranked(&index, "delete an email")[0],
        "gmail.users.messages.delete"
    );
}

#[test]
fn a_meeting_is_a_calendar_event_not_the_meet_api() {
    let index = synthetic(&[
        (
            "calendar",
            "Calendar API",
            &[(
                "events.instances",
                "-",
                "calendarId eventId",
                "Returns instances of the specified recurring event.",
            )],
        ),
        (
            "meet",
            "Google Meet API",
            &[(
                "conferenceRecords.list",
                "-",
                "filter",
                "Lists the conference records of meetings held in a meeting space.",
            )],
        ),
    ]);
    assert_eq!(
        ranked(&index, "list the occurrences of a recurring meeting")[0],
        "calendar.events.instances"
    );
}

#[test]
fn making_a_thing_in_a_container_is_not_making_the_container() {
    let index = synthetic(&[(
        "storage",
        "Cloud Storage JSON API",
        &[
            ("buckets.delete", "-", "bucket", "Deletes an empty bucket."),
            (
                "objects.get",
                "-",
                "object",
                "Retrieves an object or its metadata.",
            ),
            (
                "objects.list",
                "-",
                "prefix",
                "Retrieves a list of objects matching the criteria.",
            ),
            (
                "objects.insert",
                "u",
                "name",
                "Stores a new object and metadata.",
            ),
            (
                "objects.copy",
                "-",
                "sourceBucket sourceObject destinationBucket destinationObject",
                "Copies a source object to a destination object.",
            ),
            (
                "objects.delete",
                "-",
                "object generation",
                "Deletes an object and its metadata.",
            ),
        ],
    )]);
    // The file is the object deleted; the bucket is where it is.
    assert_eq!(
        ranked(&index, "delete a file from a bucket")[0],
        "storage.objects.delete"
    );
    assert_eq!(
        ranked(&index, "delete an empty bucket")[0],
        "storage.buckets.delete"
    );
}

#[test]
fn malformed_search_text_is_refused() {
    assert!(Index::from_search_text("not an index\n", &Default::default()).is_err());
    assert!(
        Index::from_search_text(
            "gapi-search-index 1\nM\tx\ty\tGET\t-\t\td\n",
            &Default::default()
        )
        .is_err()
    );
    assert!(Index::from_search_text("gapi-search-index 1\nA\tx\n", &Default::default()).is_err());
}

#[test]
fn search_finds_drive_files_list_first() {
    let hits = search("drive files list", None, 5);
    assert_eq!(hits[0].id, "drive.files.list", "{hits:?}");
    assert_eq!(hits[0].api, "drive:v3");
    assert_eq!(hits[0].http_method, "GET");
    assert!(hits[0].summary.starts_with("Lists"), "{hits:?}");
    let only = search("list", Some("drive"), 50);
    assert!(!only.is_empty() && only.iter().all(|h| h.api == "drive:v3"));
    assert!(search("zzzqqq", None, 5).is_empty());
    assert!(search("files", None, 0).is_empty());
}

#[test]
fn a_version_outside_the_index_is_searched_from_its_document() {
    let hits = search("list files", Some("drive:v2"), 3);
    assert_eq!(hits[0].id, "drive.files.list", "{hits:?}");
    assert!(hits.iter().all(|h| h.api == "drive:v2"), "{hits:?}");
    assert!(search("list files", Some("drive:v999"), 3).is_empty());
    assert!(search("list files", Some("nosuchapi"), 3).is_empty());
}

/// The bundled search text holds every API of the bundle, each preferred version among them,
/// and the Admin SDK's three APIs; its methods are those of the documents.
#[test]
fn search_index_covers_the_chosen_documents() {
    let index = bundled_index();
    let bundle = gapi_discovery::bundle::entries();
    for api in &index.apis {
        assert!(
            gapi_discovery::bundle::entry(&api.name, &api.version).is_some(),
            "{}:{} is not bundled",
            api.name,
            api.version
        );
    }
    for e in bundle {
        assert!(
            index.apis.iter().any(|a| a.name == e.name),
            "{} has no API indexed",
            e.name
        );
        if e.preferred() {
            assert!(
                index
                    .apis
                    .iter()
                    .any(|a| a.name == e.name && a.version == e.version),
                "{}:{} is preferred but not indexed",
                e.name,
                e.version
            );
        }
    }
    for (name, version) in [
        ("drive", "v3"),
        ("gmail", "v1"),
        ("admin", "directory_v1"),
        ("admin", "reports_v1"),
        ("compute", "v1"),
    ] {
        let doc = crate::service::bundled_document(name, version).unwrap();
        let want: Vec<(String, String)> = doc
            .all_methods()
            .into_iter()
            .map(|(dotted, m)| (dotted, m.id.clone()))
            .collect();
        let a = index
            .apis
            .iter()
            .position(|a| a.name == name && a.version == version)
            .unwrap_or_else(|| panic!("{name}:{version} indexed"));
        let got: Vec<(String, String)> = index
            .methods
            .iter()
            .filter(|m| m.api as usize == a)
            .map(|m| (m.dotted.clone(), m.id.clone()))
            .collect();
        assert_eq!(got, want, "{name}:{version}");
    }
}

/// Forms, People and Tasks as their documents word them: nothing says "survey", "address
/// book" or "check off".
const FORMS: &[M] = &[
    ("forms.get", "-", "formId", "Get a form."),
    ("forms.create", "-", "", "Create a new form."),
    (
        "forms.responses.list",
        "-",
        "formId filter",
        "List a form's responses.",
    ),
];
const PEOPLE: &[M] = &[
    (
        "people.get",
        "-",
        "resourceName personFields",
        "Provides information about a person.",
    ),
    (
        "people.updateContact",
        "-",
        "resourceName updatePersonFields",
        "Update contact data for an existing contact person.",
    ),
    (
        "people.connections.list",
        "-",
        "resourceName",
        "Provides a list of the authenticated user's contacts.",
    ),
];
const TASKS: &[M] = &[
    (
        "tasks.list",
        "-",
        "tasklist showCompleted",
        "Returns all tasks in the specified task list.",
    ),
    (
        "tasks.patch",
        "-",
        "tasklist task",
        "Updates the specified task.",
    ),
    (
        "tasks.delete",
        "-",
        "tasklist task",
        "Deletes the specified task from the task list.",
    ),
    (
        "tasklists.list",
        "-",
        "",
        "Returns all the authenticated user's task lists.",
    ),
];

fn with_vocabulary(vocabulary: &str) -> Index {
    synthetic_with(
        &[
            ("forms", "Google Forms API", FORMS),
            ("people", "People API", PEOPLE),
            ("tasks", "Google Tasks API", TASKS),
        ],
        vocabulary,
    )
}

const VOCABULARY: &str = "\
api forms: survey, questionnaire
api people: address book, contacts
api tasks: what is
method forms.forms.responses.list: answers, survey results
method tasks.tasks.patch: check off, mark done
method tasks.tasks.list: what's on my list
method people.people.connections.list: who is in address book
";

#[test]
fn the_vocabulary_names_the_api_the_documents_do_not() {
    let bare = with_vocabulary("");
    let known = with_vocabulary(VOCABULARY);
    // No method says "questionnaire": only the vocabulary finds Forms, and the other words pick
    // the method in it.
    // ("survey" is a synonym of "form": "questionnaire" is not.)
    assert!(ranked(&bare, "questionnaire").is_empty());
    assert_ne!(
        ranked(&bare, "get the answers to my questionnaire")[0],
        "forms.forms.responses.list"
    );
    assert_eq!(
        ranked(&known, "get the answers to my questionnaire")[0],
        "forms.forms.responses.list"
    );
    assert_eq!(
        ranked(&known, "create a questionnaire")[0],
        "forms.forms.create"
    );
    // A phrase of two words names the API only whole: "address book" is People's,
    // "update ... address" alone is not.
    assert_eq!(
        ranked(&known, "update a contact in my address book")[0],
        "people.people.updateContact"
    );
    let named = |q: &str| {
        let (mut named, mut terms) = (vec![false; known.apis.len()], Vec::new());
        rank::phrase_matches(&known, q, &mut named, &mut terms);
        named
    };
    assert_eq!(named("open my address book"), [false, true, false]);
    assert_eq!(named("the address of the book"), [false, true, false]);
    assert_eq!(named("my address"), [false, false, false]);
    // A phrase of question words only says nothing.
    assert_eq!(named("what is my address book"), [false, true, false]);
}

#[test]
fn a_method_phrase_the_query_has_whole_lifts_the_method() {
    let bare = with_vocabulary("");
    let known = with_vocabulary(VOCABULARY);
    // "check off" is no word of the documents; "task" alone leaves a tie the tie-break
    // (shorter id) settles for another method.
    assert_ne!(ranked(&bare, "check off the task")[0], "tasks.tasks.patch");
    assert_eq!(ranked(&known, "check off the task")[0], "tasks.tasks.patch");
    // The question words of a phrase count: "what's on my list" lists the tasks, not the
    // task lists.
    assert_eq!(
        ranked(&known, "what's on my list of tasks")[0],
        "tasks.tasks.list"
    );
    let lift = |q: &str| {
        let (mut named, mut terms) = (vec![false; known.apis.len()], Vec::new());
        rank::phrase_matches(&known, q, &mut named, &mut terms).0
    };
    let connections = known
        .methods
        .iter()
        .position(|m| m.id == "people.people.connections.list")
        .unwrap() as u32;
    assert!(
        lift("who is in my address book")
            .iter()
            .any(|(m, _)| *m == connections)
    );
    // Without "who" the phrase is not there whole.
    assert!(
        lift("is my address book")
            .iter()
            .all(|(m, _)| *m != connections)
    );
}

/// Every method and API the bundled vocabulary names is in the bundled index: a typo would
/// silently do nothing.
#[test]
fn the_bundled_vocabulary_names_indexed_methods_and_apis() {
    let index = bundled_index();
    let ids: std::collections::HashSet<&str> =
        index.methods.iter().map(|m| m.id.as_str()).collect();
    let prefixes: std::collections::HashSet<&str> = index
        .methods
        .iter()
        .filter_map(|m| m.id.split('.').next())
        .collect();
    let v = vocabulary();
    let mut unknown: Vec<String> = v
        .methods
        .keys()
        .filter(|id| !ids.contains(id.as_str()))
        .map(|id| format!("method {id}"))
        .collect();
    unknown.extend(
        v.apis
            .keys()
            .filter(|a| !prefixes.contains(a.as_str()))
            .map(|a| format!("api {a}")),
    );
    unknown.sort();
    assert!(unknown.is_empty(), "not in the index: {unknown:?}");
    assert!(!index.phrases.is_empty());
}

#[test]
fn a_question_asking_who_finds_who_may_or_who_is() {
    // The same words, so only the question can tell them apart (without it the shorter id
    // wins the tie).
    let index = synthetic(&[(
        "storage",
        "Cloud Storage JSON API",
        &[
            (
                "buckets.getIamPolicy",
                "-",
                "bucket",
                "A bucket's settings.",
            ),
            ("buckets.get", "-", "bucket", "A bucket's settings."),
        ],
    )]);
    assert_eq!(
        ranked(&index, "who can see the logs bucket")[0],
        "storage.buckets.getIamPolicy"
    );
    assert_eq!(
        ranked(&index, "see the logs bucket")[0],
        "storage.buckets.get"
    );
    let chat = synthetic(&[(
        "chat",
        "Google Chat API",
        &[
            ("spaces.members.list", "-", "parent", "A chat space."),
            ("spaces.list", "-", "", "A chat space."),
        ],
    )]);
    assert_eq!(
        ranked(&chat, "who is in this chat space")[0],
        "chat.spaces.members.list"
    );
}

#[test]
fn a_question_reads_whatever_verb_it_has() {
    // The same words: without the question the tie goes to the shorter id.
    let index = synthetic(&[(
        "analytics",
        "Analytics API",
        &[
            ("reports.delete", "-", "name", "A report of visitors."),
            ("reports.summarize", "-", "name", "A report of visitors."),
        ],
    )]);
    assert_eq!(
        ranked(&index, "how many visitors are in the report")[0],
        "analytics.reports.summarize"
    );
    assert_eq!(
        ranked(&index, "visitors in the report")[0],
        "analytics.reports.delete"
    );
}

#[test]
fn reading_what_is_in_a_container_is_not_reading_the_container() {
    let index = synthetic(&[(
        "youtube",
        "YouTube Data API v3",
        &[
            // The same words: only the container tells them apart.
            ("playlists.list", "-", "", "Playlist videos."),
            ("playlistItems.list", "-", "", "Playlist videos."),
        ],
    )]);
    assert_eq!(
        ranked(&index, "list the videos in a playlist")[0],
        "youtube.playlistItems.list"
    );
    assert_eq!(
        ranked(&index, "list my playlists")[0],
        "youtube.playlists.list"
    );
}

#[test]
fn make_without_a_new_thing_changes_what_is_there() {
    let index = synthetic(&[(
        "compute",
        "Compute Engine API",
        &[
            (
                "disks.insert",
                "-",
                "project zone",
                "Creates a persistent disk in the specified project.",
            ),
            (
                "disks.update",
                "-",
                "project zone disk",
                "Updates the specified disk with the data included in the request.",
            ),
        ],
    )]);
    assert_eq!(
        ranked(&index, "make the disk bigger")[0],
        "compute.disks.update"
    );
    assert_eq!(ranked(&index, "make a new disk")[0], "compute.disks.insert");
}

#[test]
fn a_one_word_api_phrase_many_apis_say_names_nothing() {
    let policy: &[M] = &[
        (
            "a.getIamPolicy",
            "-",
            "resource",
            "Gets the access control policy.",
        ),
        (
            "b.getIamPolicy",
            "-",
            "resource",
            "Gets the access control policy.",
        ),
        (
            "c.getIamPolicy",
            "-",
            "resource",
            "Gets the access control policy.",
        ),
        (
            "d.getIamPolicy",
            "-",
            "resource",
            "Gets the access control policy.",
        ),
    ];
    let roles: &[M] = &[("roles.list", "-", "parent", "Lists roles.")];
    let survey: &[M] = &[("forms.get", "-", "formId", "Gets a form.")];
    let index = synthetic_with(
        &[
            ("aa", "A API", policy),
            ("bb", "B API", policy),
            ("iam", "Identity and Access Management API", roles),
            ("forms", "Forms API", survey),
        ],
        "api iam: iam, custom role\napi forms: survey\n",
    );
    let named = |q: &str| {
        let (mut named, mut terms) = (vec![false; index.apis.len()], Vec::new());
        rank::phrase_matches(&index, q, &mut named, &mut terms);
        named
    };
    // "iam" is in every getIamPolicy: 1 of 9 methods saying it is the IAM API's.
    assert_eq!(named("get the iam policy"), [false, false, false, false]);
    // Two words, or a word only the API's methods say, still name it.
    assert_eq!(named("define a custom role"), [false, false, true, false]);
    assert_eq!(named("my survey"), [false, false, false, true]);
}

#[test]
fn an_api_name_spelled_in_separate_words_names_it() {
    let same: &[M] = &[("secrets.list", "-", "parent", "Lists secrets.")];
    let index = synthetic(&[
        ("aavault", "Store API", same),
        ("secretmanager", "Store API", same),
    ]);
    // Without the name the tie goes to the shorter id.
    assert_eq!(ranked(&index, "list secrets")[0], "aavault.secrets.list");
    assert_eq!(
        ranked(&index, "list the secrets in secret manager")[0],
        "secretmanager.secrets.list"
    );
}
