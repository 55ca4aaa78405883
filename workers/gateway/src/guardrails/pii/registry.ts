/** The only list of PII recognizers; adding one = one file + one line here. */
import type { Recognizer } from "../types";
import { creditCardRecognizer } from "./recognizers/credit-card";
import { cryptoRecognizer } from "./recognizers/crypto";
import { dateTimeRecognizer } from "./recognizers/date-time";
import { emailRecognizer } from "./recognizers/email";
import { ibanRecognizer } from "./recognizers/iban";
import { ipAddressRecognizer } from "./recognizers/ip-address";
import { entitiesRecognizer } from "./recognizers/entities";
import { phoneRecognizer } from "./recognizers/phone";
import { authHeaderRecognizer } from "./recognizers/secrets/auth-header";
import { connectionUrlRecognizer } from "./recognizers/secrets/connection-url";
import { credentialPairRecognizer } from "./recognizers/secrets/credential-pair";
import { highEntropyRecognizer } from "./recognizers/secrets/high-entropy";
import { jwtRecognizer } from "./recognizers/secrets/jwt";
import { labelledSecretRecognizer } from "./recognizers/secrets/labelled-secret";
import { privateKeyRecognizer } from "./recognizers/secrets/private-key";
import { vendorKeysRecognizer } from "./recognizers/secrets/vendor-keys";
import { urlRecognizer } from "./recognizers/url";
import { usBankNumberRecognizer } from "./recognizers/us-bank-number";
import { usDriverLicenseRecognizer } from "./recognizers/us-driver-license";
import { usPassportRecognizer } from "./recognizers/us-passport";
import { usSsnRecognizer } from "./recognizers/us-ssn";

export const RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  ipAddressRecognizer,
  urlRecognizer,
  cryptoRecognizer,
  phoneRecognizer,
  usBankNumberRecognizer,
  usPassportRecognizer,
  usDriverLicenseRecognizer,
  dateTimeRecognizer,
  vendorKeysRecognizer,
  privateKeyRecognizer,
  jwtRecognizer,
  authHeaderRecognizer,
  connectionUrlRecognizer,
  labelledSecretRecognizer,
  credentialPairRecognizer,
  highEntropyRecognizer,
  // PERSON, LOCATION, ORGANIZATION, STREET_ADDRESS: the learned tagger fused with the
  // person/location/organization dictionary recognizers (recognizers/entities.ts).
  entitiesRecognizer,
];
