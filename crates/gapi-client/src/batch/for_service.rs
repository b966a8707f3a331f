//! [`Service::batch`]: a service's batch endpoint in one call, the counterpart of Python's
//! `service.new_batch_http_request()`.

use url::Url;

use super::{Batch, parts_limit};
use crate::error::Error;
use crate::service::Service;

impl Service {
    /// A [`Batch`] to this API's batch endpoint (`rootUrl + batchPath`), sent with this
    /// service's credentials and limited to the parts the API accepts per request (100 for
    /// Drive). Fails when the API has no batch endpoint.
    pub fn batch(&self) -> Result<Batch, Error> {
        let url = self.batch_url().ok_or_else(|| {
            Error::invalid_argument(format!(
                "the {} API has no batch endpoint (its Discovery document names no batchPath)",
                self.document().name
            ))
        })?;
        let url = Url::parse(&url)
            .map_err(|e| Error::invalid_argument(format!("invalid batch URL {url:?}: {e}")))?;
        Ok(Batch::new(self.transport(), url).max_parts(parts_limit(&self.document().name)))
    }
}

#[cfg(test)]
mod tests {
    use crate::NoAuth;

    #[test]
    fn drive_batch_goes_to_its_batch_path_in_parts_of_at_most_100() {
        let drive = crate::build("drive", "v3", NoAuth).unwrap();
        let batch = format!("{:?}", drive.batch().unwrap());
        assert!(batch.contains("www.googleapis.com"), "{batch}");
        assert!(batch.contains("\"/batch/drive/v3\""), "{batch}");
        assert!(batch.contains("max_parts: 100"), "{batch}");
    }
}
