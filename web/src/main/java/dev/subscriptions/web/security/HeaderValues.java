package dev.subscriptions.web.security;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The header values {@link StrictHttpFirewall} accepts by default (only assigned
 * characters, no control character but the tab), decided without its regular expression:
 * printable ASCII, all of a bearer token, passes at a glance, anything else by its
 * Unicode type, as the expression decides it. The expression ran over every header value
 * each time a filter read it, the bearer token a few times per request: profiled under
 * load, a tenth of a request's CPU.
 */
final class HeaderValues {

	private HeaderValues() {
	}

	static boolean allowed(String value) {
		for (int i = 0; i < value.length();) {
			char c = value.charAt(i);
			if ((c >= 0x20 && c < 0x7f) || c == '\t') {
				i++;
				continue;
			}
			int codePoint = value.codePointAt(i);
			int type = Character.getType(codePoint);
			if (type == Character.UNASSIGNED || type == Character.CONTROL) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

	/** Spring Security's strict firewall, with {@link #allowed(String)} for values. */
	static StrictHttpFirewall firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderValues(HeaderValues::allowed);
		return firewall;
	}

}
