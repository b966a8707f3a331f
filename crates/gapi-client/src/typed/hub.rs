//! [`Hub`]: a generated module's handle on its API (the service its calls go through).

use std::sync::Arc;

use crate::auth::Authenticator;
use crate::error::Error;
use crate::service::{Service, ServiceBuilder};

use super::call::Call;
use super::spec::ApiSpec;

/// One API for a generated module: its [`ApiSpec`] made into a [`Service`] with credentials
/// and options. Cheap to clone. Made infallibly ([`Hub::new`]) so `Drive::new(credentials)`
/// needs no `?`: a service that cannot be made (only a hand-edited excerpt does that) fails
/// each call with the reason.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    spec: &'static ApiSpec,
    builder: ServiceBuilder,
    service: Result<Service, String>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner.service {
            Ok(s) => f.debug_tuple("Hub").field(s).finish(),
            Err(e) => f.debug_tuple("Hub").field(e).finish(),
        }
    }
}

impl Hub {
    /// The API of `spec` called with `auth` (gapi's `Credentials`, an `ApiKey`, a
    /// `StaticToken`, `NoAuth`, or any [`Authenticator`]), at the document's endpoint.
    pub fn new(spec: &'static ApiSpec, auth: impl Authenticator) -> Hub {
        Hub::make(spec, Service::builder().auth(auth))
    }

    /// The API of `spec` with every option of a [`ServiceBuilder`] (retry policy, HTTP client,
    /// quota project, policy, endpoint, user agent); its document is replaced by the spec's.
    pub fn from_builder(spec: &'static ApiSpec, builder: ServiceBuilder) -> Result<Hub, Error> {
        let doc = spec.document()?;
        let service = builder.clone().document(doc).build()?;
        Ok(Hub {
            inner: Arc::new(Inner {
                spec,
                builder,
                service: Ok(service),
            }),
        })
    }

    fn make(spec: &'static ApiSpec, builder: ServiceBuilder) -> Hub {
        let service = spec
            .document()
            .and_then(|doc| builder.clone().document(doc).build())
            .map_err(|e| e.to_string());
        Hub {
            inner: Arc::new(Inner {
                spec,
                builder,
                service,
            }),
        }
    }

    /// The same hub sending to another root URL (an emulator, a regional or private endpoint):
    /// every URL, media and batch included, starts there. A missing trailing `/` is added.
    pub fn endpoint(&self, url: impl Into<String>) -> Hub {
        Hub::make(self.inner.spec, self.inner.builder.clone().endpoint(url))
    }

    /// The untyped service the calls go through (for methods the module was not made with,
    /// batch, or `prepare` without sending).
    pub fn service(&self) -> Result<&Service, Error> {
        self.inner
            .service
            .as_ref()
            .map_err(|e| Error::discovery(e.clone()))
    }

    /// The excerpt this hub was made from.
    pub fn spec(&self) -> &'static ApiSpec {
        self.inner.spec
    }

    /// Starts a call of the method at the dotted path `method` (`files.list`), answered as `T`.
    pub fn call<T>(&self, method: &str) -> Call<T> {
        Call::new(
            self.service()
                .and_then(|s| s.method(method))
                .map(|c| c.validate(false)),
        )
    }
}
