// One configuration object for the server's readConsent and the client's widget: the widget
// confirms a consent under the configuration's very text, so both sides must write the same one.
import demo from '../../../www/consent-config.json';

export const config = { ...demo, consentMode: undefined, records: undefined };
