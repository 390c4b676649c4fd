package dev.subscriptions.endtoend.operations;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Prometheus' text exposition format, as a service's {@code /actuator/prometheus} writes
 * it: the names of its samples, with their label names, and of the families they belong
 * to.
 */
final class Exposition {

	private Exposition() {
	}

	/**
	 * Each sample's name (a histogram's {@code _bucket}, {@code _count} and {@code _sum}
	 * each) with the names of the labels its samples have, and each {@code # TYPE}'s
	 * family (without labels).
	 */
	static Map<String, Set<String>> metrics(String exposition) {
		Map<String, Set<String>> metrics = new TreeMap<>();
		for (String line : exposition.split("\n")) {
			if (line.startsWith("# TYPE ")) {
				metrics.computeIfAbsent(line.split(" ")[2], family -> new TreeSet<>());
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				sample(line, metrics);
			}
		}
		return metrics;
	}

	/** {@code name{label="value",...} value [timestamp]} */
	private static void sample(String line, Map<String, Set<String>> metrics) {
		int position = 0;
		while (position < line.length() && line.charAt(position) != '{' && line.charAt(position) != ' ') {
			position++;
		}
		Set<String> labels = metrics.computeIfAbsent(line.substring(0, position), name -> new TreeSet<>());
		if (position == line.length() || line.charAt(position) != '{') {
			return;
		}
		position++;
		while (position < line.length() && line.charAt(position) != '}') {
			int equals = line.indexOf('=', position);
			labels.add(line.substring(position, equals).trim());
			position = equals + 2;
			while (line.charAt(position) != '"') {
				position += (line.charAt(position) == '\\') ? 2 : 1;
			}
			position++;
			if (line.charAt(position) == ',') {
				position++;
			}
		}
	}

}
