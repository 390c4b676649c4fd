package dev.subscriptions.endtoend.operations;

import java.util.Set;
import java.util.TreeSet;

/**
 * Prometheus' text exposition format, as a service's {@code /actuator/prometheus} writes
 * it: the names of its samples and of the families they belong to.
 */
final class Exposition {

	private Exposition() {
	}

	/**
	 * Each sample's name (up to its labels or value) and each {@code # TYPE}'s family.
	 */
	static Set<String> metricNames(String exposition) {
		Set<String> names = new TreeSet<>();
		for (String line : exposition.split("\n")) {
			if (line.startsWith("# TYPE ")) {
				names.add(line.split(" ")[2]);
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				int end = 0;
				while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
					end++;
				}
				names.add(line.substring(0, end));
			}
		}
		return names;
	}

}
