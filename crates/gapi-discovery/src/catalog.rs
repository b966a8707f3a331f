//! The catalog of the bundled Discovery documents: written by
//! `scripts/make-discovery-bundle.py` from google-api-python-client 2.202.0; do not edit.
//!
//! One entry per document, sorted by name then version: `own(...)` documents are featured APIs
//! whose frames sit in `bundle/apis/` (embedded by the cargo feature of their name), `part(...)`
//! documents sit in the `frames.bin` of a gapi-discovery-bundle-K crate (embedded by
//! `all-apis`). Arguments: name, version, preferred, raw length of the document, raw length of
//! its method index digest (0: none), then the frames (part: crate, offset, digest frame length,
//! document frame length; the document frame follows the digest frame).

use crate::bundle::{BundleEntry, own, part};

/// The zstd dictionary of the frames in the gapi-discovery-bundle-K crates and of the
/// directory (featured documents are compressed without it): embedded with `all-apis` only.
#[cfg(feature = "all-apis")]
pub(crate) const DICTIONARY: &[u8] = include_bytes!("../bundle/dictionary.zdict");
/// The zstd dictionary of the frames in the gapi-discovery-bundle-K crates and of the
/// directory (featured documents are compressed without it): embedded with `all-apis` only.
#[cfg(not(feature = "all-apis"))]
pub(crate) const DICTIONARY: &[u8] = &[];

/// How many gapi-discovery-bundle-K crates hold the documents that are not featured.
pub(crate) const PARTS: u8 = 2;

/// Every document gapi knows, embedded or not.
pub(crate) static ENTRIES: &[BundleEntry] = &[
    part("abusiveexperiencereport", "v1", true, 5298, 1657, 1, 0, 571, 678),
    part("acceleratedmobilepageurl", "v1", true, 6344, 1390, 1, 1249, 502, 1068),
    part("accessapproval", "v1", true, 53710, 14804, 1, 2819, 1289, 7085),
    part("accesscontextmanager", "v1", true, 126780, 22683, 1, 11193, 1983, 14928),
    part("accesscontextmanager", "v1beta", false, 37681, 9099, 1, 28104, 1146, 4432),
    part("acmedns", "v1", true, 6478, 1742, 1, 33682, 546, 942),
    part("addressvalidation", "v1", true, 48856, 2422, 1, 35170, 673, 9690),
    part("adexchangebuyer", "v1.2", false, 13630, 3200, 1, 45533, 758, 2130),
    part("adexchangebuyer", "v1.3", false, 39752, 9057, 1, 48421, 1153, 5484),
    part("adexchangebuyer", "v1.4", true, 93006, 16509, 1, 55058, 1752, 13753),
    part("adexchangebuyer2", "v2beta1", true, 221154, 49012, 1, 70563, 2719, 26994),
    part("adexperiencereport", "v1", true, 6208, 1612, 1, 100276, 568, 869),
    own("admin", "datatransfer_v1", false, 11355, 3906, ADMIN_DATATRANSFER_V1),
    own("admin", "datatransferv1", false, 11355, 3906, ADMIN_DATATRANSFER_V1),
    own("admin", "directory_v1", false, 270708, 76116, ADMIN_DIRECTORY_V1),
    own("admin", "directoryv1", false, 270708, 76116, ADMIN_DIRECTORY_V1),
    own("admin", "reports_v1", true, 72412, 10402, ADMIN_REPORTS_V1),
    own("admin", "reportsv1", false, 72412, 10402, ADMIN_REPORTS_V1),
    part("admob", "v1", true, 50582, 4145, 1, 101713, 821, 6139),
    part("admob", "v1beta", false, 88218, 10680, 1, 108673, 1274, 11328),
    part("adsense", "v2", false, 105188, 26627, 1, 121275, 2431, 10874),
    part("adsensehost", "v4.1", true, 35288, 13898, 1, 134580, 1458, 3967),
    part("adsenseplatform", "v1", true, 18962, 6564, 1, 140005, 991, 2535),
    part("adsenseplatform", "v1alpha", false, 33065, 11339, 1, 143531, 1268, 4277),
    part("advisorynotifications", "v1", true, 19580, 6200, 1, 149076, 959, 1820),
    part("agenciesandbrands", "v1", true, 39029, 5218, 1, 151855, 982, 4877),
    part("agentidentity", "v1", true, 69789, 16054, 1, 157714, 1521, 4818),
    part("agentidentity", "v1alpha", false, 70049, 16314, 1, 164053, 1528, 4824),
    part("agentidentity", "v1beta", false, 69997, 16262, 1, 170405, 1527, 4827),
    part("agentidentitycredentials", "v1", true, 11337, 2798, 1, 176759, 752, 1640),
    part("agentidentitycredentials", "v1alpha", false, 15206, 3566, 1, 179151, 783, 2210),
    part("agentidentitycredentials", "v1beta", false, 11457, 2838, 1, 182144, 757, 1646),
    part("agentregistry", "v1", true, 143531, 40490, 1, 184547, 2328, 10827),
    part("agentregistry", "v1alpha", false, 145080, 41030, 1, 197702, 2334, 10981),
    own("aiplatform", "v1", true, 2837823, 707203, AIPLATFORM_V1),
    part("aiplatform", "v1beta1", false, 3934352, 1026779, 1, 211017, 33244, 354426),
    part("airquality", "v1", true, 39515, 3136, 1, 598687, 900, 6186),
    part("alertcenter", "v1beta1", true, 73107, 5593, 1, 605773, 959, 11713),
    part("alloydb", "v1", true, 240535, 25045, 1, 618445, 2069, 25499),
    part("alloydb", "v1alpha", false, 262507, 28507, 1, 646013, 2181, 27592),
    part("alloydb", "v1beta", false, 261902, 28371, 1, 675786, 2174, 27526),
    part("analytics", "v3", true, 182695, 56844, 1, 705486, 3292, 15913),
    part("analyticsadmin", "v1alpha", true, 323813, 96752, 1, 724691, 4733, 31821),
    part("analyticsadmin", "v1beta", false, 119358, 31309, 1, 761245, 2214, 13644),
    part("analyticsdata", "v1alpha", true, 51600, 3864, 1, 777103, 811, 8085),
    part("analyticsdata", "v1beta", false, 95874, 7167, 1, 785999, 1039, 13895),
    part("analyticshub", "v1", true, 118467, 23317, 1, 800933, 1804, 13661),
    part("analyticshub", "v1beta1", false, 56073, 12725, 1, 816398, 1327, 4793),
    part("analyticsreporting", "v4", true, 58583, 2130, 1, 822518, 635, 10913),
    part("androiddeveloperidstatus", "v1", true, 5115, 1666, 1, 834066, 587, 597),
    part("androiddeviceprovisioning", "v1", true, 57549, 12746, 1, 835250, 1466, 7438),
    part("androidenterprise", "v1", true, 152999, 45734, 1, 844154, 2903, 21041),
    part("androidmanagement", "v1", true, 368266, 18835, 1, 868098, 1849, 57405),
    part("androidpublisher", "v3", true, 448512, 101991, 1, 927352, 6124, 52515),
    part("apigateway", "v1", false, 68311, 17754, 1, 985991, 1579, 4324),
    part("apigateway", "v1beta", true, 69975, 18002, 1, 991894, 1580, 4628),
    part("apigee", "v1", true, 760190, 209209, 1, 998102, 10262, 80780),
    part("apigeeregistry", "v1", true, 148890, 59264, 1, 1089144, 2771, 7540),
    part("apihub", "v1", true, 304159, 65869, 1, 1099455, 3593, 29244),
    part("apikeys", "v2", true, 23210, 7037, 1, 1132292, 1164, 2609),
    part("apim", "v1alpha", true, 48678, 14103, 1, 1136065, 1408, 3595),
    part("appengine", "v1", true, 181682, 43410, 1, 1141068, 2638, 21723),
    part("appengine", "v1alpha", false, 78510, 24422, 1, 1165429, 1729, 7416),
    part("appengine", "v1beta", false, 190230, 47156, 1, 1174574, 2755, 22202),
    part("appengine", "v1beta4", false, 78163, 13628, 1, 1199531, 1315, 11363),
    part("appengine", "v1beta5", false, 77780, 13719, 1, 1212209, 1336, 11413),
    part("apphub", "v1", true, 100751, 24081, 1, 1224958, 1896, 6177),
    part("apphub", "v1alpha", false, 105147, 25989, 1, 1233031, 1974, 6256),
    part("appsmarket", "v2", true, 6698, 2238, 1, 1241261, 639, 723),
    part("area120tables", "v1alpha1", true, 25018, 9457, 1, 1242623, 1208, 2444),
    part("areainsights", "v1", true, 13239, 1598, 1, 1246275, 603, 2406),
    part("artifactregistry", "v1", false, 169385, 45155, 1, 1249284, 2957, 15326),
    part("artifactregistry", "v1beta1", false, 61624, 16467, 1, 1267567, 1567, 4308),
    part("artifactregistry", "v1beta2", true, 79101, 21543, 1, 1273442, 1890, 6196),
    part("assuredworkloads", "v1", true, 140849, 25187, 1, 1281528, 2001, 14964),
    part("assuredworkloads", "v1beta1", false, 143465, 24995, 1, 1298493, 1968, 15097),
    part("auditmanager", "v1", true, 97600, 32382, 1, 1315558, 1995, 6566),
    part("authorizedbuyersmarketplace", "v1", true, 108346, 22317, 1, 1324119, 1910, 14750),
    part("authorizedbuyersmarketplace", "v1alpha", false, 150421, 30046, 1, 1340779, 2279, 20224),
    part("authorizedbuyersmarketplace", "v1beta", false, 47740, 8681, 1, 1363282, 1089, 7048),
    part("backupdr", "v1", true, 346198, 63726, 1, 1371419, 3609, 31133),
    part("backupdr", "v1beta", false, 345215, 64462, 1, 1406161, 3622, 31000),
    part("baremetalsolution", "v1", false, 10349, 2893, 1, 1440783, 756, 541),
    part("baremetalsolution", "v1alpha1", false, 13065, 2573, 1, 1442080, 789, 1917),
    part("baremetalsolution", "v2", true, 99878, 29015, 1, 1444786, 2208, 10744),
    part("batch", "v1", true, 91098, 8567, 1, 1457738, 1184, 14160),
    part("beyondcorp", "v1", true, 142221, 29409, 1, 1473082, 1998, 8485),
    part("beyondcorp", "v1alpha", false, 218739, 50114, 1, 1483565, 2894, 12917),
    part("biglake", "v1", true, 57993, 17743, 1, 1499376, 1502, 3233),
    own("bigquery", "v2", true, 458027, 35700, BIGQUERY_V2),
    part("bigqueryconnection", "v1", false, 46011, 6132, 1, 1504111, 1013, 4534),
    part("bigqueryconnection", "v1beta1", true, 31500, 6819, 1, 1509658, 1064, 1958),
    part("bigquerydatapolicy", "v1", false, 34211, 6823, 1, 1512680, 1074, 2935),
    part("bigquerydatapolicy", "v2", true, 39342, 7438, 1, 1516689, 1120, 3806),
    part("bigquerydatatransfer", "v1", true, 103187, 26298, 1, 1521615, 1849, 9051),
    part("bigqueryreservation", "v1", true, 102377, 22517, 1, 1532515, 1754, 10416),
    part("bigqueryreservation", "v1alpha2", false, 30237, 10463, 1, 1544685, 1206, 3877),
    part("bigqueryreservation", "v1beta1", false, 41937, 13952, 1, 1549768, 1400, 4882),
    part("bigtableadmin", "v1", false, 25387, 1022, 1, 1556050, 375, 3888),
    part("bigtableadmin", "v2", true, 242638, 69433, 1, 1560313, 3242, 24988),
    part("billingbudgets", "v1", true, 31441, 4207, 1, 1588543, 900, 5500),
    part("billingbudgets", "v1beta1", false, 25838, 4245, 1, 1594943, 894, 4271),
    part("binaryauthorization", "v1", true, 82308, 11581, 1, 1600108, 1369, 11668),
    part("binaryauthorization", "v1beta1", false, 49107, 8569, 1, 1613145, 1150, 6158),
    part("blockchainnodeengine", "v1", true, 31540, 7400, 1, 1620453, 1117, 2944),
    part("blogger", "v2", false, 19715, 4982, 1, 1624514, 838, 2137),
    part("blogger", "v3", true, 40190, 21138, 1, 1627489, 1844, 3522),
    part("books", "v1", true, 101601, 32139, 1, 1632855, 3407, 12334),
    part("businessprofileperformance", "v1", true, 24227, 5742, 1, 1648596, 1118, 2309),
    own("calendar", "v3", true, 129607, 30344, CALENDAR_V3),
    part("certificatemanager", "v1", true, 77215, 21993, 1, 1652023, 1650, 6458),
    part("ces", "v1", true, 313365, 44693, 1, 1660131, 2882, 43684),
    part("ces", "v1beta", false, 475043, 72983, 1, 1706697, 3981, 59233),
    own("chat", "v1", true, 387847, 40346, CHAT_V1),
    part("checks", "v1alpha", true, 88834, 7886, 1, 1769911, 1206, 10027),
    part("chromemanagement", "v1", true, 313084, 49561, 1, 1781144, 3701, 34531),
    part("chromepolicy", "v1", true, 59694, 9972, 1, 1819376, 1294, 7785),
    part("chromeuxreport", "v1", true, 21676, 1641, 1, 1828455, 533, 2771),
    part("chromewebstore", "v1.1", false, 9069, 3541, 1, 1831759, 916, 1379),
    part("chromewebstore", "v2", true, 28795, 7033, 1, 1834054, 1204, 3828),
    part("civicinfo", "v2", true, 29126, 2601, 1, 1839086, 665, 5164),
    own("classroom", "v1", true, 251221, 71682, CLASSROOM_V1),
    part("cloudasset", "v1", true, 255914, 15242, 1, 1844915, 1893, 35400),
    part("cloudasset", "v1beta1", false, 96560, 5995, 1, 1882208, 1020, 12263),
    part("cloudasset", "v1p1beta1", false, 84933, 2589, 1, 1895491, 736, 12195),
    part("cloudasset", "v1p4beta1", false, 94159, 3028, 1, 1908422, 864, 13801),
    part("cloudasset", "v1p5beta1", false, 83703, 2041, 1, 1923087, 782, 11445),
    part("cloudasset", "v1p7beta1", false, 89473, 2393, 1, 1935314, 753, 13054),
    part("cloudbilling", "v1", true, 94199, 17262, 1, 1949121, 1740, 11481),
    part("cloudbilling", "v1beta", false, 73673, 12292, 1, 1962342, 1215, 8882),
    part("cloudbuild", "v1", true, 185589, 32017, 1, 1972439, 2351, 22184),
    part("cloudbuild", "v1alpha1", false, 77662, 4403, 1, 1996974, 876, 11081),
    part("cloudbuild", "v1alpha2", false, 76506, 4533, 1, 2008931, 913, 10752),
    part("cloudbuild", "v1beta1", false, 78703, 4813, 1, 2020596, 925, 11066),
    part("cloudbuild", "v2", false, 108552, 14137, 1, 2032587, 1629, 11105),
    part("cloudchannel", "v1", true, 242039, 38756, 1, 2045321, 2815, 24838),
    part("cloudcommerceprocurement", "v1", true, 39404, 7858, 1, 2072974, 1138, 5330),
    part("cloudcontrolspartner", "v1", true, 37564, 9520, 1, 2079442, 1228, 4625),
    part("cloudcontrolspartner", "v1beta", false, 37676, 9632, 1, 2085295, 1232, 4640),
    part("clouddebugger", "v2", true, 39118, 6432, 1, 2091167, 1115, 6831),
    part("clouddeploy", "v1", true, 270346, 39654, 1, 2099113, 2469, 22971),
    part("clouderrorreporting", "v1beta1", true, 51036, 9431, 1, 2124553, 1229, 5678),
    part("cloudfunctions", "v1", true, 64214, 8733, 1, 2131460, 1253, 7488),
    part("cloudfunctions", "v2", false, 89640, 13183, 1, 2140201, 1447, 10839),
    part("cloudfunctions", "v2alpha", false, 89915, 13403, 1, 2152487, 1456, 10854),
    part("cloudfunctions", "v2beta", false, 89860, 13359, 1, 2164797, 1454, 10863),
    part("cloudidentity", "v1", true, 175608, 40561, 1, 2177114, 3076, 21280),
    part("cloudidentity", "v1beta1", false, 212248, 41565, 1, 2201470, 3155, 23986),
    part("cloudiot", "v1", true, 66563, 16494, 1, 2228611, 1566, 6759),
    part("cloudkms", "v1", true, 279783, 56140, 1, 2236936, 3349, 22469),
    part("cloudlocationfinder", "v1", true, 15092, 4188, 1, 2262754, 855, 1370),
    part("cloudlocationfinder", "v1alpha", false, 15152, 4248, 1, 2264979, 868, 1375),
    part("cloudnumberregistry", "v1alpha", true, 91181, 27795, 1, 2267222, 2112, 5968),
    part("cloudproductregistry", "v1", true, 16654, 4569, 1, 2275302, 790, 1485),
    part("cloudprofiler", "v2", true, 14249, 3798, 1, 2277577, 894, 2272),
    part("cloudresourcemanager", "v1", false, 101075, 19585, 1, 2280743, 1623, 11189),
    part("cloudresourcemanager", "v1beta1", false, 59819, 8885, 1, 2293555, 1190, 6238),
    own("cloudresourcemanager", "v2", true, 53043, 6546, CLOUDRESOURCEMANAGER_V2),
    part("cloudresourcemanager", "v2beta1", false, 53053, 6556, 1, 2300983, 1104, 4689),
    part("cloudresourcemanager", "v3", false, 173315, 45180, 1, 2306776, 2792, 15439),
    part("cloudscheduler", "v1", true, 51062, 9140, 1, 2325007, 1195, 6418),
    part("cloudscheduler", "v1beta1", false, 50749, 8471, 1, 2332620, 1176, 6462),
    part("cloudsearch", "v1", true, 235753, 34515, 1, 2340258, 2767, 33742),
    part("cloudshell", "v1", true, 24003, 5892, 1, 2376767, 1060, 2481),
    part("cloudshell", "v1alpha1", false, 18781, 4071, 1, 2380308, 855, 2809),
    part("cloudsupport", "v2", true, 69091, 12243, 1, 2383972, 1466, 8096),
    part("cloudsupport", "v2beta", false, 74981, 13274, 1, 2393534, 1565, 8853),
    part("cloudtasks", "v2", true, 101300, 13576, 1, 2403952, 1474, 13204),
    part("cloudtasks", "v2beta2", false, 116899, 16501, 1, 2418630, 1671, 14919),
    part("cloudtasks", "v2beta3", false, 108029, 13978, 1, 2435220, 1494, 14425),
    part("cloudtrace", "v1", false, 17335, 3283, 1, 2451139, 877, 2197),
    part("cloudtrace", "v2", true, 26393, 2370, 1, 2454213, 744, 3776),
    part("cloudtrace", "v2beta1", false, 16738, 3988, 1, 2458733, 880, 1857),
    part("colaboratory", "v1", true, 10960, 2612, 1, 2461470, 721, 1095),
    part("colaboratory", "v1beta", false, 17713, 3579, 1, 2463286, 795, 2567),
    part("composer", "v1", true, 116446, 21438, 1, 2466648, 1705, 14063),
    part("composer", "v1beta1", false, 121856, 21758, 1, 2482416, 1712, 14919),
    part("compute", "alpha", false, 5743370, 1098500, 1, 2499047, 31010, 305249),
    part("compute", "beta", false, 5288650, 1026992, 1, 2835306, 28966, 278873),
    part("compute", "preview", false, 5141997, 1010877, 1, 3143145, 28224, 268752),
    own("compute", "v1", true, 4862248, 945439, COMPUTE_V1),
    part("config", "v1", true, 143113, 28071, 1, 3440121, 2217, 11592),
    part("connectors", "v1", false, 266311, 49790, 1, 3453930, 3269, 28451),
    part("connectors", "v2", true, 98002, 18264, 1, 3485650, 1740, 12354),
    part("contactcenteraiplatform", "v1alpha1", true, 59636, 8648, 1, 3499744, 1205, 7375),
    part("contactcenterinsights", "v1", true, 795828, 119419, 1, 3508324, 5243, 48673),
    part("container", "v1", true, 403094, 48635, 1, 3562240, 2740, 52837),
    part("container", "v1beta1", false, 426675, 49795, 1, 3617817, 2773, 56073),
    part("containeranalysis", "v1", false, 250737, 24114, 1, 3676663, 1633, 32060),
    part("containeranalysis", "v1alpha1", false, 271947, 18353, 1, 3710356, 1764, 36159),
    part("containeranalysis", "v1beta1", true, 261829, 25726, 1, 3748279, 1684, 34496),
    part("content", "v2", false, 279301, 46382, 1, 3784459, 3507, 30322),
    part("content", "v2.1", true, 428284, 62102, 1, 3818288, 4323, 54343),
    part("contentwarehouse", "v1", true, 216195, 21137, 1, 3876954, 1725, 29636),
    part("css", "v1", true, 42926, 7247, 1, 3908315, 1114, 6412),
    part("curationpartners", "v1", true, 78636, 12073, 1, 3915841, 1357, 10946),
    part("customsearch", "v1", true, 60625, 5880, 1, 3928144, 960, 5450),
    part("databasecenter", "v1beta", true, 158904, 5171, 1, 3934554, 966, 13951),
    part("datacatalog", "v1", false, 129815, 17294, 1, 3949471, 1614, 16501),
    part("datacatalog", "v1beta1", true, 111653, 12239, 1, 3967586, 1315, 15120),
    part("dataflow", "v1b3", true, 288834, 41162, 1, 3984021, 2694, 39221),
    part("dataform", "v1", true, 199747, 57287, 1, 4025936, 3377, 16317),
    part("dataform", "v1beta1", false, 219228, 63828, 1, 4045630, 3691, 18366),
    part("datafusion", "v1", true, 72099, 11576, 1, 4067687, 1408, 6444),
    part("datafusion", "v1beta1", false, 80590, 15488, 1, 4075539, 1642, 7024),
    part("datalabeling", "v1beta1", true, 193337, 27737, 1, 4084205, 1989, 15964),
    part("datalineage", "v1", true, 73804, 18095, 1, 4102158, 1677, 6964),
    part("datamanager", "v1", true, 61661, 15889, 1, 4110799, 1621, 6773),
    part("datamigration", "v1", false, 283573, 44279, 1, 4119193, 2996, 32555),
    part("datamigration", "v1beta1", true, 102198, 17938, 1, 4154744, 1627, 10837),
    part("datapipelines", "v1", true, 36593, 5739, 1, 4167208, 978, 4659),
    part("dataplex", "v1", true, 576653, 141672, 1, 4172845, 5808, 51751),
    part("dataportability", "v1", true, 52500, 44346, 1, 4230404, 2654, 3140),
    part("dataportability", "v1beta", false, 52556, 44402, 1, 4236198, 2659, 3149),
    part("dataproc", "v1", true, 451407, 99018, 1, 4242006, 4596, 44182),
    part("dataproc", "v1beta2", false, 184592, 39017, 1, 4290784, 2372, 19485),
    part("datastore", "v1", true, 111010, 10135, 1, 4312641, 1241, 14131),
    part("datastore", "v1beta1", false, 39648, 2330, 1, 4328013, 687, 3260),
    part("datastore", "v1beta3", false, 85666, 5116, 1, 4331960, 840, 11989),
    part("datastream", "v1", true, 159488, 19794, 1, 4344789, 1717, 17856),
    part("datastream", "v1alpha1", false, 95680, 19859, 1, 4364362, 1717, 9697),
    part("deepreview", "v1", true, 40989, 7010, 1, 4375776, 1204, 6094),
    part("deploymentmanager", "alpha", false, 157868, 32896, 1, 4383074, 1975, 11837),
    part("deploymentmanager", "v2", true, 113837, 19215, 1, 4396886, 1580, 8609),
    part("deploymentmanager", "v2beta", false, 154196, 32084, 1, 4407075, 1955, 11487),
    part("developerconnect", "v1", true, 150277, 37531, 1, 4420517, 2698, 13963),
    part("developerknowledge", "v1", true, 19803, 3135, 1, 4437178, 853, 2524),
    part("developerknowledge", "v1alpha", false, 19858, 3190, 1, 4440555, 858, 2529),
    part("devicerun", "v1", true, 35482, 6609, 1, 4443942, 1057, 4163),
    part("devicerun", "v1alpha", false, 84930, 10223, 1, 4449162, 1305, 12736),
    part("dfareporting", "v3.3", false, 473930, 128875, 1, 4463203, 7240, 44543),
    part("dfareporting", "v3.4", true, 492998, 129400, 1, 4514986, 7273, 46310),
    part("dfareporting", "v3.5", false, 16219, 2157, 1, 4568569, 763, 2708),
    part("dfareporting", "v4", false, 577123, 144904, 1, 4572040, 8231, 59885),
    part("dfareporting", "v5", false, 561867, 140443, 1, 4640156, 8162, 59489),
    part("dialogflow", "v2", true, 456761, 178779, 1, 4707807, 6741, 26807),
    part("dialogflow", "v2beta1", false, 456040, 175484, 1, 4741355, 6518, 26572),
    part("dialogflow", "v3", false, 359144, 104653, 1, 4774445, 4667, 22776),
    part("dialogflow", "v3beta1", false, 382862, 109686, 1, 4801888, 4783, 24424),
    part("digitalassetlinks", "v1", true, 29326, 2636, 1, 4831095, 648, 4308),
    part("discovery", "v1", true, 16937, 1294, 1, 4836051, 481, 2826),
    part("discoveryengine", "v1", true, 1531558, 228459, 1, 4839358, 7880, 126171),
    part("discoveryengine", "v1alpha", false, 1730062, 324787, 1, 4973409, 11401, 148025),
    part("discoveryengine", "v1beta", false, 1446386, 225995, 2, 0, 7560, 116472),
    part("displayvideo", "v1", true, 709010, 130210, 2, 124032, 5932, 60344),
    part("displayvideo", "v2", false, 730335, 123941, 2, 190308, 5766, 64519),
    part("displayvideo", "v3", false, 827334, 132831, 2, 260593, 5873, 73127),
    part("displayvideo", "v4", false, 961796, 154435, 2, 339593, 6855, 84538),
    part("displayvideo", "v5", false, 9234, 3441, 2, 430986, 862, 707),
    part("dlp", "v2", true, 549092, 84143, 2, 432555, 3678, 61554),
    part("dns", "v1", true, 140821, 37086, 2, 497787, 2345, 11556),
    part("dns", "v1beta2", false, 141315, 37551, 2, 511688, 2349, 11558),
    part("dns", "v2", false, 96266, 32850, 2, 525595, 1823, 7859),
    own("docs", "v1", true, 217723, 3465, DOCS_V1),
    part("documentai", "v1", false, 295047, 25383, 2, 535277, 1998, 30502),
    part("documentai", "v1beta2", false, 202585, 4433, 2, 567777, 817, 18644),
    part("documentai", "v1beta3", true, 301580, 31128, 2, 587238, 2371, 32883),
    part("domains", "v1", false, 119535, 17426, 2, 622492, 1700, 13908),
    part("domains", "v1alpha2", false, 120167, 17774, 2, 638100, 1705, 13996),
    part("domains", "v1beta1", true, 119825, 17716, 2, 653801, 1709, 13922),
    part("domainsrdap", "v1", true, 10631, 3448, 2, 669432, 749, 1483),
    part("doubleclickbidmanager", "v1", false, 2681, 1123, 2, 671664, 394, 178),
    part("doubleclickbidmanager", "v1.1", true, 67577, 3684, 2, 672236, 788, 7469),
    part("doubleclickbidmanager", "v2", false, 20116, 4126, 2, 680493, 822, 2784),
    part("doubleclicksearch", "v2", true, 32802, 8077, 2, 684099, 1176, 4703),
    part("drive", "v2", false, 198011, 59076, 2, 689978, 3771, 21479),
    own("drive", "v3", true, 195590, 46369, DRIVE_V3),
    own("driveactivity", "v2", true, 34796, 1730, DRIVEACTIVITY_V2),
    part("drivelabels", "v2", true, 104440, 17474, 2, 715228, 1644, 11342),
    part("drivelabels", "v2beta", false, 105916, 17834, 2, 728214, 1651, 11366),
    part("essentialcontacts", "v1", true, 33378, 12633, 2, 741231, 1298, 1984),
    part("eventarc", "v1", false, 163972, 39214, 2, 744513, 2276, 14069),
    part("eventarc", "v1beta1", true, 44947, 8850, 2, 760858, 1209, 2984),
    part("factchecktools", "v1alpha1", true, 21324, 4682, 2, 765051, 922, 2774),
    part("fcm", "v1", true, 55187, 4973, 2, 768747, 949, 8088),
    part("fcmdata", "v1beta1", true, 15178, 1929, 2, 777784, 739, 2040),
    part("file", "v1", true, 94613, 14919, 2, 780563, 1459, 11702),
    part("file", "v1beta1", false, 126727, 25880, 2, 793724, 1931, 14890),
    part("firebase", "v1beta1", true, 112783, 22345, 2, 810545, 1827, 10728),
    part("firebaseappcheck", "v1", true, 113260, 29043, 2, 823100, 2088, 9615),
    part("firebaseappcheck", "v1beta", false, 144538, 36802, 2, 834803, 2364, 12022),
    part("firebaseappdistribution", "v1", true, 67448, 15534, 2, 849189, 1693, 8409),
    part("firebaseappdistribution", "v1alpha", false, 66113, 14387, 2, 859291, 1714, 8795),
    part("firebaseapphosting", "v1", true, 100762, 16494, 2, 869800, 1504, 10832),
    part("firebaseapphosting", "v1beta", false, 107248, 17243, 2, 882136, 1530, 11720),
    part("firebasecrashlytics", "v1alpha", true, 64322, 12970, 2, 895386, 1717, 9298),
    part("firebasedatabase", "v1beta", true, 14901, 6074, 2, 906401, 1035, 1753),
    part("firebasedataconnect", "v1", true, 100265, 25405, 2, 909189, 1920, 10766),
    part("firebasedataconnect", "v1beta", false, 100577, 25717, 2, 921875, 1928, 10778),
    part("firebasedynamiclinks", "v1", true, 31558, 3165, 2, 934581, 780, 5990),
    part("firebasehosting", "v1", true, 27214, 4484, 2, 941351, 949, 3727),
    part("firebasehosting", "v1beta1", false, 128137, 40881, 2, 946027, 2273, 13199),
    part("firebaseml", "v1", true, 10648, 2533, 2, 961499, 748, 425),
    part("firebaseml", "v1beta2", false, 15740, 4269, 2, 962672, 900, 1630),
    part("firebaseml", "v2beta", false, 143320, 3302, 2, 965202, 792, 23878),
    part("firebaserules", "v1", true, 32500, 7213, 2, 989872, 1101, 5423),
    part("firebasestorage", "v1beta", true, 10588, 4890, 2, 996396, 963, 920),
    own("firestore", "v1", true, 239559, 37795, FIRESTORE_V1),
    part("firestore", "v1beta1", false, 148674, 17550, 2, 998279, 1676, 18596),
    part("firestore", "v1beta2", false, 55575, 7197, 2, 1018551, 1072, 4769),
    part("fitness", "v1", true, 59961, 22180, 2, 1024392, 1555, 7692),
    own("forms", "v1", true, 50260, 7422, FORMS_V1),
    part("ftp", "v1", true, 41792, 11114, 2, 1033639, 1321, 3530),
    part("ftp", "v1alpha", false, 41982, 11304, 2, 1038490, 1331, 3549),
    part("games", "v1", true, 103117, 20568, 2, 1043370, 2455, 13158),
    part("gamesConfiguration", "v1configuration", true, 18127, 6166, 2, 1058983, 856, 1895),
    part("gamesManagement", "v1management", true, 21874, 8202, 2, 1061734, 1081, 2253),
    part("gameservices", "v1", true, 42079, 6188, 2, 1065068, 1044, 4006),
    part("gameservices", "v1beta", false, 42159, 6268, 2, 1070118, 1045, 4034),
    part("genomics", "v1", true, 36423, 984, 2, 1075197, 360, 7623),
    part("genomics", "v1alpha2", false, 52843, 5710, 2, 1083180, 1024, 8449),
    part("genomics", "v2alpha1", false, 50560, 4216, 2, 1092653, 905, 9326),
    part("gkebackup", "v1", true, 203056, 41131, 2, 1102884, 2413, 16553),
    part("gkehub", "v1", false, 279604, 41706, 2, 1121850, 2696, 31570),
    part("gkehub", "v1alpha", false, 303547, 45026, 2, 1156116, 2861, 35019),
    part("gkehub", "v1alpha2", false, 62785, 10277, 2, 1193996, 1400, 6475),
    part("gkehub", "v1beta", false, 283446, 42298, 2, 1201871, 2707, 32097),
    part("gkehub", "v1beta1", false, 72183, 11346, 2, 1236675, 1484, 7101),
    part("gkehub", "v2", true, 114400, 7035, 2, 1245260, 1164, 16719),
    part("gkehub", "v2alpha", false, 114510, 7145, 2, 1263143, 1170, 16712),
    part("gkehub", "v2beta", false, 114340, 7123, 2, 1281025, 1167, 16675),
    part("gkeonprem", "v1", true, 251915, 53271, 2, 1298867, 2693, 19199),
    own("gmail", "v1", true, 144516, 49971, GMAIL_V1),
    part("gmailpostmastertools", "v1", false, 18261, 3417, 2, 1320759, 802, 2673),
    part("gmailpostmastertools", "v1beta1", true, 18637, 3467, 2, 1324234, 805, 2731),
    part("gmailpostmastertools", "v2", false, 39727, 8239, 2, 1327770, 1229, 5198),
    part("groupsmigration", "v1", true, 3660, 1781, 2, 1334197, 659, 404),
    own("groupssettings", "v1", true, 23980, 1931, GROUPSSETTINGS_V1),
    part("health", "v4", true, 223463, 25742, 2, 1335260, 2114, 32275),
    part("health", "v4beta", false, 225887, 25966, 2, 1369649, 2121, 32587),
    part("healthcare", "v1", true, 438697, 106308, 2, 1404357, 5075, 45760),
    part("healthcare", "v1beta1", false, 506618, 120354, 2, 1455192, 5593, 52895),
    part("homegraph", "v1", true, 34427, 2913, 2, 1513680, 741, 5696),
    part("hypercomputecluster", "v1", true, 63204, 7247, 2, 1520117, 1118, 6311),
    own("iam", "v1", true, 281587, 78834, IAM_V1),
    part("iam", "v2", false, 34559, 3934, 2, 1527546, 861, 3334),
    part("iam", "v2beta", false, 34683, 4006, 2, 1531741, 869, 3348),
    part("iamcredentials", "v1", true, 18215, 4933, 2, 1535958, 945, 2078),
    part("iap", "v1", true, 59054, 10391, 2, 1538981, 1341, 7845),
    part("iap", "v1beta1", false, 19618, 2472, 2, 1548167, 686, 1082),
    part("ideahub", "v1alpha", false, 14206, 4458, 2, 1549935, 858, 1502),
    part("ideahub", "v1beta", true, 12517, 3957, 2, 1552295, 826, 1470),
    part("identitytoolkit", "v1", false, 137776, 23206, 2, 1554591, 1978, 16861),
    part("identitytoolkit", "v2", false, 129864, 29933, 2, 1573430, 2141, 13095),
    part("identitytoolkit", "v3", true, 50995, 7116, 2, 1588666, 1048, 6364),
    part("ids", "v1", true, 26091, 6982, 2, 1596078, 1092, 1473),
    part("indexing", "v3", true, 5406, 1845, 2, 1598643, 603, 727),
    part("integrations", "v1", false, 458972, 87422, 2, 1599973, 4434, 51308),
    part("integrations", "v1alpha", false, 357161, 62104, 2, 1655715, 3274, 40458),
    part("integrations", "v2", true, 91747, 8120, 2, 1699447, 1179, 13384),
    part("jobs", "v2", false, 179008, 8374, 2, 1714010, 1309, 27483),
    part("jobs", "v3", true, 116944, 8957, 2, 1742802, 1317, 21297),
    part("jobs", "v3p1beta1", false, 130631, 9646, 2, 1765416, 1362, 23463),
    part("jobs", "v4", false, 130633, 13453, 2, 1790241, 1544, 23025),
    own("keep", "v1", true, 15933, 4070, KEEP_V1),
    part("kgsearch", "v1", true, 4568, 1616, 2, 1814810, 539, 630),
    part("kmsinventory", "v1", true, 47238, 4145, 2, 1815979, 965, 6875),
    part("language", "v1", true, 151589, 4139, 2, 1823819, 803, 23927),
    part("language", "v1beta1", false, 26652, 2992, 2, 1848549, 743, 4630),
    part("language", "v1beta2", false, 152361, 4219, 2, 1853922, 807, 24092),
    part("language", "v2", false, 138876, 3315, 2, 1878821, 761, 21094),
    part("libraryagent", "v1", true, 9280, 3743, 2, 1900676, 827, 918),
    own("licensing", "v1", true, 14968, 5540, LICENSING_V1),
    part("lifesciences", "v2beta", true, 50478, 4425, 2, 1902421, 923, 8879),
    part("localservices", "v1", true, 17766, 3078, 2, 1912223, 679, 2058),
    own("logging", "v2", true, 506862, 156172, LOGGING_V2),
    part("looker", "v1", true, 54397, 11590, 2, 1914960, 1350, 5729),
    part("managedidentities", "v1", true, 115689, 26138, 2, 1922039, 2046, 11477),
    part("managedidentities", "v1alpha1", false, 115745, 26690, 2, 1935562, 2058, 11589),
    part("managedidentities", "v1beta1", false, 116648, 26598, 2, 1949209, 2056, 11718),
    part("managedkafka", "v1", true, 159675, 53379, 2, 1962983, 2995, 12331),
    part("manufacturers", "v1", true, 39028, 5794, 2, 1978309, 976, 4932),
    part("marketingplatformadmin", "v1alpha", true, 39310, 14445, 2, 1984217, 1377, 3562),
    part("meet", "v2", true, 58332, 13998, 2, 1989156, 1433, 6982),
    part("memcache", "v1", false, 67435, 10097, 2, 1997571, 1299, 8455),
    part("memcache", "v1beta2", true, 68024, 9873, 2, 2007325, 1286, 8575),
    part("merchantapi", "accounts_v1", false, 200092, 38512, 2, 2017186, 2998, 28202),
    part("merchantapi", "accounts_v1beta", false, 197413, 38257, 2, 2048386, 2948, 27970),
    part("merchantapi", "conversions_v1", false, 19739, 4294, 2, 2079304, 857, 2510),
    part("merchantapi", "conversions_v1beta", false, 19795, 4350, 2, 2082671, 862, 2510),
    part("merchantapi", "datasources_v1", false, 36220, 4550, 2, 2086043, 883, 5053),
    part("merchantapi", "datasources_v1beta", false, 35985, 4614, 2, 2091979, 885, 4971),
    part("merchantapi", "inventories_v1", false, 43574, 4542, 2, 2097835, 848, 4588),
    part("merchantapi", "inventories_v1beta", false, 37778, 4598, 2, 2103271, 855, 3354),
    part("merchantapi", "issueresolution_v1", false, 51607, 3706, 2, 2107480, 855, 8420),
    part("merchantapi", "issueresolution_v1beta", false, 51651, 3746, 2, 2116755, 856, 8424),
    part("merchantapi", "lfp_v1", false, 27626, 4388, 2, 2126035, 884, 3637),
    part("merchantapi", "lfp_v1beta", false, 27690, 4452, 2, 2130556, 889, 3648),
    part("merchantapi", "loyaltycustomers_v1", false, 13027, 1777, 2, 2135093, 638, 1934),
    part("merchantapi", "notifications_v1", false, 15484, 3940, 2, 2137665, 819, 1707),
    part("merchantapi", "notifications_v1beta", false, 15532, 3988, 2, 2140191, 825, 1710),
    part("merchantapi", "ordertracking_v1", false, 18179, 1799, 2, 2142726, 634, 2812),
    part("merchantapi", "ordertracking_v1beta", false, 18294, 1815, 2, 2146172, 635, 2822),
    part("merchantapi", "products_v1", false, 121480, 3724, 2, 2149629, 846, 19832),
    part("merchantapi", "products_v1beta", false, 77300, 3772, 2, 2170307, 850, 10916),
    part("merchantapi", "promotions_v1", false, 43567, 2622, 2, 2182073, 745, 5952),
    part("merchantapi", "promotions_v1beta", false, 43599, 2654, 2, 2188770, 750, 5952),
    part("merchantapi", "quota_v1", false, 14552, 2679, 2, 2195472, 728, 1759),
    part("merchantapi", "quota_v1beta", false, 11254, 1739, 2, 2197959, 652, 1363),
    part("merchantapi", "reports_v1", true, 64352, 1665, 2, 2199974, 619, 6668),
    part("merchantapi", "reports_v1beta", false, 64368, 1681, 2, 2207261, 622, 6671),
    part("merchantapi", "reviews_v1beta", false, 41779, 5122, 2, 2214554, 862, 3923),
    part("metastore", "v1", false, 148556, 28649, 2, 2219339, 2101, 13237),
    part("metastore", "v1alpha", false, 158993, 31666, 2, 2234677, 2199, 14069),
    part("metastore", "v1beta", false, 158887, 31560, 2, 2250945, 2196, 14079),
    part("metastore", "v2", true, 63407, 10617, 2, 2267220, 1254, 5276),
    part("metastore", "v2alpha", false, 83707, 15268, 2, 2273750, 1479, 7184),
    part("metastore", "v2beta", false, 83551, 15199, 2, 2282413, 1476, 7188),
    part("migrationcenter", "v1", true, 210815, 39893, 2, 2291077, 2693, 21291),
    part("migrationcenter", "v1alpha1", false, 284041, 43998, 2, 2315061, 2806, 28699),
    part("ml", "v1", true, 169854, 24383, 2, 2346566, 2078, 22105),
    part("monitoring", "v1", false, 117270, 12431, 2, 2370749, 1488, 18331),
    own("monitoring", "v3", true, 339372, 41018, MONITORING_V3),
    part("mybusinessaccountmanagement", "v1", true, 30602, 7198, 2, 2390568, 1039, 4349),
    part("mybusinessbusinesscalls", "v1", true, 12135, 2629, 2, 2395956, 689, 1589),
    part("mybusinessbusinessinformation", "v1", true, 65422, 7813, 2, 2398234, 1205, 11386),
    part("mybusinesslodging", "v1", true, 213845, 2405, 2, 2410825, 618, 23679),
    part("mybusinessnotifications", "v1", true, 8028, 1992, 2, 2435122, 591, 1203),
    part("mybusinessplaceactions", "v1", true, 14106, 3832, 2, 2436916, 787, 1800),
    part("mybusinessqanda", "v1", true, 13368, 4238, 2, 2439503, 817, 1509),
    part("mybusinessverifications", "v1", true, 26321, 3690, 2, 2441829, 807, 4004),
    part("netapp", "v1", true, 172681, 45948, 2, 2446640, 2784, 17200),
    part("netapp", "v1beta1", false, 175130, 47614, 2, 2466624, 2849, 17404),
    part("networkconnectivity", "v1", true, 308320, 68315, 2, 2486877, 3780, 26471),
    part("networkconnectivity", "v1alpha1", false, 82318, 18579, 2, 2517128, 1630, 5814),
    part("networkmanagement", "v1", true, 231049, 31260, 2, 2524572, 2420, 26435),
    part("networkmanagement", "v1beta1", false, 192662, 20690, 2, 2553427, 1690, 22153),
    part("networksecurity", "v1", true, 405588, 111696, 2, 2577270, 4602, 29315),
    part("networksecurity", "v1beta1", false, 437987, 116648, 2, 2611187, 4735, 32373),
    part("networkservices", "v1", true, 323329, 70481, 2, 2648295, 3556, 26648),
    part("networkservices", "v1beta1", false, 324971, 71281, 2, 2678499, 3492, 28511),
    part("notebooks", "v1", true, 155905, 36796, 2, 2710502, 2509, 16206),
    part("notebooks", "v2", false, 84978, 17514, 2, 2729217, 1685, 8967),
    own("oauth2", "v2", true, 6101, 2437, OAUTH2_V2),
    part("observability", "v1", true, 68900, 25120, 2, 2739869, 1828, 3892),
    part("ondemandscanning", "v1", true, 110864, 5121, 2, 2745589, 1005, 17652),
    part("ondemandscanning", "v1beta1", false, 110724, 5197, 2, 2764246, 1005, 17616),
    part("oracledatabase", "v1", true, 408833, 70243, 2, 2782867, 3561, 36211),
    part("orgpolicy", "v2", true, 56570, 16820, 2, 2822639, 1350, 5167),
    part("osconfig", "v1", true, 143359, 17075, 2, 2829156, 1694, 20394),
    part("osconfig", "v1alpha", false, 108613, 11495, 2, 2851244, 1381, 14183),
    part("osconfig", "v1beta", false, 90743, 10316, 2, 2866808, 1284, 13340),
    part("osconfig", "v2", false, 93122, 17039, 2, 2881432, 1384, 9439),
    part("osconfig", "v2beta", false, 93502, 17311, 2, 2892255, 1399, 9449),
    part("oslogin", "v1", true, 15926, 6267, 2, 2903103, 1113, 1724),
    part("oslogin", "v1alpha", false, 20992, 8159, 2, 2905940, 1326, 2179),
    part("oslogin", "v1beta", false, 20089, 7889, 2, 2909445, 1258, 2177),
    part("pagespeedonline", "v5", true, 27415, 2149, 2, 2912880, 813, 5228),
    part("parallelstore", "v1", true, 35660, 8219, 2, 2918921, 1161, 2921),
    part("parallelstore", "v1beta", false, 35571, 8287, 2, 2923003, 1158, 2937),
    part("parametermanager", "v1", true, 55423, 15430, 2, 2927098, 1411, 3109),
    part("paymentsresellersubscription", "v1", true, 65038, 8956, 2, 2931618, 1271, 9105),
    own("people", "v1", true, 107056, 18289, PEOPLE_V1),
    part("places", "v1", true, 119489, 5017, 2, 2941994, 990, 20076),
    part("playablelocations", "v3", true, 20898, 2096, 2, 2963060, 566, 4031),
    part("playcustomapp", "v1", true, 4847, 2006, 2, 2967657, 716, 608),
    part("playdeveloperreporting", "v1alpha1", false, 168439, 18592, 2, 2968981, 1631, 11811),
    part("playdeveloperreporting", "v1beta1", true, 168194, 18505, 2, 2982423, 1629, 11805),
    part("playgrouping", "v1alpha1", true, 5859, 2160, 2, 2995857, 615, 709),
    part("playintegrity", "v1", true, 23144, 2648, 2, 2997181, 668, 3303),
    part("policyanalyzer", "v1", true, 11410, 3748, 2, 3001152, 810, 920),
    part("policyanalyzer", "v1beta1", false, 10367, 3803, 2, 3002882, 818, 880),
    part("policysimulator", "v1", true, 102698, 17809, 2, 3004580, 1407, 9075),
    part("policysimulator", "v1alpha", false, 61970, 10304, 2, 3015062, 1052, 5708),
    part("policysimulator", "v1beta", false, 106915, 20504, 2, 3021822, 1479, 9270),
    part("policysimulator", "v1beta1", false, 39979, 8109, 2, 3032571, 972, 2261),
    part("policytroubleshooter", "v1", true, 30863, 1685, 2, 3035804, 601, 2374),
    part("policytroubleshooter", "v1beta", false, 29360, 1709, 2, 3038779, 605, 2331),
    part("policytroubleshooter", "v3", false, 67376, 1691, 2, 3041715, 602, 6047),
    part("policytroubleshooter", "v3beta", false, 100641, 2175, 2, 3048364, 638, 9292),
    part("pollen", "v1", true, 20594, 2697, 2, 3058294, 829, 4124),
    part("poly", "v1", true, 25783, 3083, 2, 3063247, 760, 5103),
    part("privateca", "v1", false, 148680, 28545, 2, 3069110, 2039, 13214),
    part("privateca", "v1beta1", true, 43235, 10427, 2, 3084363, 1194, 1553),
    part("prod_tt_sasportal", "v1alpha1", true, 93691, 44250, 2, 3087110, 2425, 7441),
    part("publicca", "v1", true, 4545, 1831, 2, 3096976, 690, 450),
    part("publicca", "v1alpha1", false, 4569, 1855, 2, 3098116, 695, 458),
    part("publicca", "v1beta1", false, 4565, 1851, 2, 3099269, 696, 457),
    own("pubsub", "v1", true, 144097, 25279, PUBSUB_V1),
    part("pubsub", "v1beta1a", false, 30064, 7143, 2, 3100422, 1070, 4070),
    part("pubsub", "v1beta2", false, 54635, 11993, 2, 3105562, 1298, 5291),
    part("pubsublite", "v1", true, 51037, 17020, 2, 3112151, 1615, 4809),
    part("rapidmigrationassessment", "v1", true, 30897, 9898, 2, 3118575, 1224, 1899),
    part("readerrevenuesubscriptionlinking", "v1", true, 8769, 2961, 2, 3121698, 695, 1121),
    part("realtimebidding", "v1", true, 114261, 20673, 2, 3123514, 1873, 15236),
    part("realtimebidding", "v1alpha", false, 14781, 3359, 2, 3140623, 813, 2623),
    part("recaptchaenterprise", "v1", true, 113708, 14089, 2, 3144059, 1495, 17740),
    part("recommendationengine", "v1beta1", true, 85818, 16338, 2, 3163294, 1548, 11793),
    part("recommender", "v1", true, 147827, 33086, 2, 3176635, 1754, 9838),
    part("recommender", "v1beta1", false, 159597, 37510, 2, 3188227, 1928, 10299),
    part("redis", "v1", true, 220568, 29883, 2, 3200454, 2185, 27166),
    part("redis", "v1beta1", false, 221384, 30163, 2, 3229805, 2182, 27158),
    part("remotebuildexecution", "v1", false, 96076, 4072, 2, 3259145, 951, 16442),
    part("remotebuildexecution", "v1alpha", false, 100380, 7049, 2, 3276538, 1030, 16409),
    part("remotebuildexecution", "v2", true, 121828, 6507, 2, 3293977, 1111, 20645),
    part("reseller", "v1", true, 47332, 9991, 2, 3315733, 1238, 6268),
    part("resourcesettings", "v1", true, 21321, 6942, 2, 3323239, 980, 1724),
    part("retail", "v2", true, 385649, 45204, 2, 3325943, 2958, 47504),
    part("retail", "v2alpha", false, 430049, 56076, 2, 3376405, 3531, 52500),
    part("retail", "v2beta", false, 401094, 49075, 2, 3432436, 3099, 49020),
    own("run", "v1", true, 291371, 51074, RUN_V1),
    part("run", "v1alpha1", false, 56401, 3486, 2, 3484555, 857, 9749),
    part("run", "v1beta1", false, 30429, 4066, 2, 3495161, 888, 5660),
    part("run", "v2", false, 318723, 38823, 2, 3501709, 2496, 34448),
    part("runtimeconfig", "v1", true, 10609, 2907, 2, 3538653, 810, 418),
    part("runtimeconfig", "v1beta1", false, 53398, 13679, 2, 3539881, 1380, 4687),
    part("saasservicemgmt", "v1", true, 140084, 29860, 2, 3545948, 1776, 11704),
    part("saasservicemgmt", "v1beta1", false, 207031, 46950, 2, 3559428, 2250, 15310),
    part("safebrowsing", "v4", true, 36333, 3637, 2, 3576988, 772, 4551),
    part("safebrowsing", "v5", false, 31734, 3129, 2, 3582311, 736, 5022),
    part("sasportal", "v1alpha1", true, 92948, 43544, 2, 3588069, 2397, 7405),
    own("script", "v1", true, 46077, 13009, SCRIPT_V1),
    part("searchads360", "v0", false, 644766, 4076, 2, 3597871, 858, 96925),
    part("searchads360", "v23", true, 2238563, 98132, 2, 3695654, 5819, 244593),
    part("searchconsole", "v1", true, 40365, 5877, 2, 3946066, 995, 6931),
    own("secretmanager", "v1", true, 89608, 19881, SECRETMANAGER_V1),
    part("secretmanager", "v1beta1", false, 55652, 9695, 2, 3953992, 1290, 3710),
    part("secretmanager", "v1beta2", false, 82975, 18109, 2, 3958992, 1469, 5832),
    part("securesourcemanager", "v1", true, 123572, 37298, 2, 3966293, 2391, 11412),
    part("securitycenter", "v1", true, 256818, 109843, 2, 3980096, 4450, 15667),
    part("securitycenter", "v1beta1", false, 148859, 15698, 2, 4000213, 1573, 11749),
    part("securitycenter", "v1beta2", false, 170504, 40228, 2, 4013535, 1908, 11991),
    part("securityposture", "v1", true, 69748, 14373, 2, 4027434, 1414, 6689),
    part("serviceconsumermanagement", "v1", true, 166529, 8593, 2, 4035537, 1176, 29897),
    part("serviceconsumermanagement", "v1beta1", false, 172236, 12169, 2, 4066610, 1370, 29376),
    part("servicecontrol", "v1", false, 100304, 2757, 2, 4097356, 700, 18891),
    part("servicecontrol", "v2", true, 57488, 2263, 2, 4116947, 664, 11282),
    part("servicedirectory", "v1", false, 58783, 15103, 2, 4128893, 1391, 3999),
    part("servicedirectory", "v1beta1", true, 63072, 17235, 2, 4134283, 1453, 4300),
    part("servicemanagement", "v1", true, 185513, 14084, 2, 4140036, 1472, 31016),
    part("servicenetworking", "v1", true, 199427, 17297, 2, 4172524, 1750, 32777),
    part("servicenetworking", "v1beta", false, 153107, 4641, 2, 4207051, 965, 28457),
    part("serviceusage", "v1", true, 177690, 6402, 2, 4236473, 1090, 30283),
    part("serviceusage", "v1beta1", false, 214329, 16306, 2, 4267846, 1595, 32592),
    own("sheets", "v4", true, 300543, 13715, SHEETS_V4),
    part("siteVerification", "v1", true, 7879, 3432, 2, 4302033, 716, 1116),
    own("slides", "v1", true, 195288, 5664, SLIDES_V1),
    part("smartdevicemanagement", "v1", true, 12085, 4653, 2, 4303865, 857, 1205),
    part("solar", "v1", true, 42393, 3528, 2, 4305927, 972, 8005),
    part("sourcerepo", "v1", true, 37191, 7140, 2, 4314904, 1136, 2686),
    part("spanner", "v1", true, 373634, 60835, 2, 4318726, 3360, 46267),
    part("speech", "v1", true, 62277, 7862, 2, 4368353, 1173, 9303),
    part("speech", "v1p1beta1", false, 63391, 8072, 2, 4378829, 1185, 9451),
    part("speech", "v2beta1", false, 14058, 2362, 2, 4389465, 751, 1603),
    part("sqladmin", "v1", false, 314394, 53352, 2, 4391819, 3556, 40037),
    own("sqladmin", "v1beta4", true, 317610, 54892, SQLADMIN_V1BETA4),
    own("storage", "v1", true, 200213, 63676, STORAGE_V1),
    part("storagebatchoperations", "v1", true, 57982, 8445, 2, 4435412, 1159, 7477),
    part("storagetransfer", "v1", true, 84596, 8927, 2, 4444048, 1262, 14603),
    part("streetviewpublish", "v1", true, 46186, 6803, 2, 4459913, 1122, 7155),
    part("sts", "v1", true, 43671, 3673, 2, 4468190, 774, 5306),
    part("sts", "v1beta", false, 31884, 1294, 2, 4474270, 506, 3799),
    part("tagmanager", "v1", false, 69864, 32611, 2, 4478575, 1997, 6648),
    part("tagmanager", "v2", true, 151022, 70325, 2, 4487220, 4281, 13169),
    own("tasks", "v1", true, 22602, 7366, TASKS_V1),
    part("testing", "v1", true, 93795, 6570, 2, 4504670, 1265, 15840),
    part("texttospeech", "v1", true, 32714, 4373, 2, 4521775, 989, 5100),
    part("texttospeech", "v1beta1", false, 31599, 3652, 2, 4527864, 917, 5290),
    part("threatintelligence", "v1beta", true, 91328, 12490, 2, 4534071, 1404, 11953),
    part("toolresults", "v1beta3", true, 123710, 23470, 2, 4547428, 1748, 18809),
    part("tpu", "v1", true, 32373, 10092, 2, 4567985, 1228, 2878),
    part("tpu", "v1alpha1", false, 33407, 10406, 2, 4572091, 1254, 2942),
    part("tpu", "v2", false, 57480, 13670, 2, 4576287, 1452, 6814),
    part("tpu", "v2alpha1", false, 68148, 16983, 2, 4584553, 1613, 8090),
    part("trafficdirector", "v2", true, 37417, 1606, 2, 4594256, 599, 5921),
    part("trafficdirector", "v3", false, 56164, 1606, 2, 4600776, 601, 8026),
    part("transcoder", "v1", false, 66547, 5400, 2, 4609403, 898, 8763),
    part("transcoder", "v1beta1", true, 43325, 5198, 2, 4619064, 873, 6820),
    part("translate", "v2", false, 11243, 3498, 2, 4626757, 805, 1484),
    own("translate", "v3", true, 118882, 31084, TRANSLATE_V3),
    part("translate", "v3beta1", false, 70618, 13328, 2, 4629046, 1396, 7692),
    part("travelimpactmodel", "v1", true, 35375, 2537, 2, 4638134, 577, 5535),
    part("vault", "v1", true, 76003, 16237, 2, 4644246, 1630, 8680),
    part("vectortile", "v1", true, 37603, 3729, 2, 4654556, 934, 7640),
    part("verifiedaccess", "v1", true, 6354, 1810, 2, 4663130, 591, 830),
    part("verifiedaccess", "v2", false, 19306, 1832, 2, 4664551, 594, 3311),
    part("versionhistory", "v1", true, 17105, 3325, 2, 4668456, 674, 2436),
    part("videointelligence", "v1", true, 175465, 5505, 2, 4671566, 951, 9655),
    part("videointelligence", "v1beta2", false, 167197, 1666, 2, 4682172, 630, 9415),
    part("videointelligence", "v1p1beta1", false, 167273, 1676, 2, 4692217, 630, 9498),
    part("videointelligence", "v1p2beta1", false, 167273, 1676, 2, 4702345, 630, 9523),
    part("videointelligence", "v1p3beta1", false, 167322, 1676, 2, 4712498, 630, 9572),
    own("vision", "v1", true, 299698, 21481, VISION_V1),
    part("vision", "v1p1beta1", false, 265310, 7954, 2, 4722700, 954, 14982),
    part("vision", "v1p2beta1", false, 265310, 7954, 2, 4738636, 954, 15076),
    part("vmmigration", "v1", true, 203367, 42545, 2, 4754666, 2731, 18242),
    part("vmmigration", "v1alpha1", false, 210722, 43373, 2, 4775639, 2741, 18621),
    part("vmwareengine", "v1", true, 309015, 65128, 2, 4797001, 3513, 22716),
    part("vpcaccess", "v1", true, 21678, 5583, 2, 4823230, 1011, 1513),
    part("vpcaccess", "v1beta1", false, 22055, 5673, 2, 4825754, 1017, 1558),
    part("walletobjects", "v1", true, 344240, 43598, 2, 4828329, 2530, 31479),
    part("webcontentpublisher", "v1", true, 59758, 8221, 2, 4862338, 1166, 9433),
    part("webfonts", "v1", true, 6425, 1613, 2, 4872937, 617, 963),
    part("webmasters", "v3", true, 14322, 4097, 2, 4874517, 754, 2294),
    part("webrisk", "v1", true, 26055, 5432, 2, 4877565, 1218, 3306),
    part("websecurityscanner", "v1", true, 42650, 8049, 2, 4882089, 1124, 6499),
    part("websecurityscanner", "v1alpha", false, 34960, 8189, 2, 4889712, 1131, 4319),
    part("websecurityscanner", "v1beta", false, 40807, 8161, 2, 4895162, 1132, 6100),
    part("workflowexecutions", "v1", false, 42813, 8076, 2, 4902394, 1167, 5626),
    part("workflowexecutions", "v1beta", true, 19087, 3793, 2, 4909187, 886, 2154),
    part("workflows", "v1", false, 33582, 7108, 2, 4912227, 1070, 2899),
    part("workflows", "v1beta", true, 27704, 6527, 2, 4916196, 1036, 1984),
    part("workloadmanager", "v1", true, 126624, 19386, 2, 4919216, 1777, 14693),
    part("workspaceevents", "v1", true, 41478, 17802, 2, 4935686, 1694, 4201),
    part("workstations", "v1", true, 112209, 23580, 2, 4941581, 1737, 10493),
    part("workstations", "v1beta", false, 119318, 23575, 2, 4953811, 1702, 12274),
    own("youtube", "v3", true, 374483, 57024, YOUTUBE_V3),
    part("youtubeAnalytics", "v1", false, 2549, 1047, 2, 4967787, 386, 288),
    part("youtubeAnalytics", "v2", true, 27639, 6795, 2, 4968461, 959, 3742),
    part("youtubereporting", "v1", true, 21762, 5770, 2, 4973162, 1019, 2311),
];

#[cfg(feature = "admin")]
const ADMIN_DATATRANSFER_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/admin.datatransfer_v1.index.zst"), include_bytes!("../bundle/apis/admin.datatransfer_v1.json.zst")];
#[cfg(not(feature = "admin"))]
const ADMIN_DATATRANSFER_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "admin")]
const ADMIN_DIRECTORY_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/admin.directory_v1.index.zst"), include_bytes!("../bundle/apis/admin.directory_v1.json.zst")];
#[cfg(not(feature = "admin"))]
const ADMIN_DIRECTORY_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "admin")]
const ADMIN_REPORTS_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/admin.reports_v1.index.zst"), include_bytes!("../bundle/apis/admin.reports_v1.json.zst")];
#[cfg(not(feature = "admin"))]
const ADMIN_REPORTS_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "calendar")]
const CALENDAR_V3: [&[u8]; 2] = [include_bytes!("../bundle/apis/calendar.v3.index.zst"), include_bytes!("../bundle/apis/calendar.v3.json.zst")];
#[cfg(not(feature = "calendar"))]
const CALENDAR_V3: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "chat")]
const CHAT_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/chat.v1.index.zst"), include_bytes!("../bundle/apis/chat.v1.json.zst")];
#[cfg(not(feature = "chat"))]
const CHAT_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "classroom")]
const CLASSROOM_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/classroom.v1.index.zst"), include_bytes!("../bundle/apis/classroom.v1.json.zst")];
#[cfg(not(feature = "classroom"))]
const CLASSROOM_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "docs")]
const DOCS_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/docs.v1.index.zst"), include_bytes!("../bundle/apis/docs.v1.json.zst")];
#[cfg(not(feature = "docs"))]
const DOCS_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "drive")]
const DRIVE_V3: [&[u8]; 2] = [include_bytes!("../bundle/apis/drive.v3.index.zst"), include_bytes!("../bundle/apis/drive.v3.json.zst")];
#[cfg(not(feature = "drive"))]
const DRIVE_V3: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "driveactivity")]
const DRIVEACTIVITY_V2: [&[u8]; 2] = [include_bytes!("../bundle/apis/driveactivity.v2.index.zst"), include_bytes!("../bundle/apis/driveactivity.v2.json.zst")];
#[cfg(not(feature = "driveactivity"))]
const DRIVEACTIVITY_V2: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "forms")]
const FORMS_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/forms.v1.index.zst"), include_bytes!("../bundle/apis/forms.v1.json.zst")];
#[cfg(not(feature = "forms"))]
const FORMS_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "gmail")]
const GMAIL_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/gmail.v1.index.zst"), include_bytes!("../bundle/apis/gmail.v1.json.zst")];
#[cfg(not(feature = "gmail"))]
const GMAIL_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "groupssettings")]
const GROUPSSETTINGS_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/groupssettings.v1.index.zst"), include_bytes!("../bundle/apis/groupssettings.v1.json.zst")];
#[cfg(not(feature = "groupssettings"))]
const GROUPSSETTINGS_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "keep")]
const KEEP_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/keep.v1.index.zst"), include_bytes!("../bundle/apis/keep.v1.json.zst")];
#[cfg(not(feature = "keep"))]
const KEEP_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "licensing")]
const LICENSING_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/licensing.v1.index.zst"), include_bytes!("../bundle/apis/licensing.v1.json.zst")];
#[cfg(not(feature = "licensing"))]
const LICENSING_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "oauth2")]
const OAUTH2_V2: [&[u8]; 2] = [include_bytes!("../bundle/apis/oauth2.v2.index.zst"), include_bytes!("../bundle/apis/oauth2.v2.json.zst")];
#[cfg(not(feature = "oauth2"))]
const OAUTH2_V2: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "people")]
const PEOPLE_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/people.v1.index.zst"), include_bytes!("../bundle/apis/people.v1.json.zst")];
#[cfg(not(feature = "people"))]
const PEOPLE_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "script")]
const SCRIPT_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/script.v1.index.zst"), include_bytes!("../bundle/apis/script.v1.json.zst")];
#[cfg(not(feature = "script"))]
const SCRIPT_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "sheets")]
const SHEETS_V4: [&[u8]; 2] = [include_bytes!("../bundle/apis/sheets.v4.index.zst"), include_bytes!("../bundle/apis/sheets.v4.json.zst")];
#[cfg(not(feature = "sheets"))]
const SHEETS_V4: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "slides")]
const SLIDES_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/slides.v1.index.zst"), include_bytes!("../bundle/apis/slides.v1.json.zst")];
#[cfg(not(feature = "slides"))]
const SLIDES_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "tasks")]
const TASKS_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/tasks.v1.index.zst"), include_bytes!("../bundle/apis/tasks.v1.json.zst")];
#[cfg(not(feature = "tasks"))]
const TASKS_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "youtube")]
const YOUTUBE_V3: [&[u8]; 2] = [include_bytes!("../bundle/apis/youtube.v3.index.zst"), include_bytes!("../bundle/apis/youtube.v3.json.zst")];
#[cfg(not(feature = "youtube"))]
const YOUTUBE_V3: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "aiplatform")]
const AIPLATFORM_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/aiplatform.v1.index.zst"), include_bytes!("../bundle/apis/aiplatform.v1.json.zst")];
#[cfg(not(feature = "aiplatform"))]
const AIPLATFORM_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "bigquery")]
const BIGQUERY_V2: [&[u8]; 2] = [include_bytes!("../bundle/apis/bigquery.v2.index.zst"), include_bytes!("../bundle/apis/bigquery.v2.json.zst")];
#[cfg(not(feature = "bigquery"))]
const BIGQUERY_V2: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "cloudresourcemanager")]
const CLOUDRESOURCEMANAGER_V2: [&[u8]; 2] = [include_bytes!("../bundle/apis/cloudresourcemanager.v2.index.zst"), include_bytes!("../bundle/apis/cloudresourcemanager.v2.json.zst")];
#[cfg(not(feature = "cloudresourcemanager"))]
const CLOUDRESOURCEMANAGER_V2: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "compute")]
const COMPUTE_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/compute.v1.index.zst"), include_bytes!("../bundle/apis/compute.v1.json.zst")];
#[cfg(not(feature = "compute"))]
const COMPUTE_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "firestore")]
const FIRESTORE_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/firestore.v1.index.zst"), include_bytes!("../bundle/apis/firestore.v1.json.zst")];
#[cfg(not(feature = "firestore"))]
const FIRESTORE_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "iam")]
const IAM_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/iam.v1.index.zst"), include_bytes!("../bundle/apis/iam.v1.json.zst")];
#[cfg(not(feature = "iam"))]
const IAM_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "logging")]
const LOGGING_V2: [&[u8]; 2] = [include_bytes!("../bundle/apis/logging.v2.index.zst"), include_bytes!("../bundle/apis/logging.v2.json.zst")];
#[cfg(not(feature = "logging"))]
const LOGGING_V2: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "monitoring")]
const MONITORING_V3: [&[u8]; 2] = [include_bytes!("../bundle/apis/monitoring.v3.index.zst"), include_bytes!("../bundle/apis/monitoring.v3.json.zst")];
#[cfg(not(feature = "monitoring"))]
const MONITORING_V3: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "pubsub")]
const PUBSUB_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/pubsub.v1.index.zst"), include_bytes!("../bundle/apis/pubsub.v1.json.zst")];
#[cfg(not(feature = "pubsub"))]
const PUBSUB_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "run")]
const RUN_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/run.v1.index.zst"), include_bytes!("../bundle/apis/run.v1.json.zst")];
#[cfg(not(feature = "run"))]
const RUN_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "secretmanager")]
const SECRETMANAGER_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/secretmanager.v1.index.zst"), include_bytes!("../bundle/apis/secretmanager.v1.json.zst")];
#[cfg(not(feature = "secretmanager"))]
const SECRETMANAGER_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "sqladmin")]
const SQLADMIN_V1BETA4: [&[u8]; 2] = [include_bytes!("../bundle/apis/sqladmin.v1beta4.index.zst"), include_bytes!("../bundle/apis/sqladmin.v1beta4.json.zst")];
#[cfg(not(feature = "sqladmin"))]
const SQLADMIN_V1BETA4: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "storage")]
const STORAGE_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/storage.v1.index.zst"), include_bytes!("../bundle/apis/storage.v1.json.zst")];
#[cfg(not(feature = "storage"))]
const STORAGE_V1: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "translate")]
const TRANSLATE_V3: [&[u8]; 2] = [include_bytes!("../bundle/apis/translate.v3.index.zst"), include_bytes!("../bundle/apis/translate.v3.json.zst")];
#[cfg(not(feature = "translate"))]
const TRANSLATE_V3: [&[u8]; 2] = [&[], &[]];

#[cfg(feature = "vision")]
const VISION_V1: [&[u8]; 2] = [include_bytes!("../bundle/apis/vision.v1.index.zst"), include_bytes!("../bundle/apis/vision.v1.json.zst")];
#[cfg(not(feature = "vision"))]
const VISION_V1: [&[u8]; 2] = [&[], &[]];
