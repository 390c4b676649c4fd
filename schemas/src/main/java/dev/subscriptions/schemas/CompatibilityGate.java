package dev.subscriptions.schemas;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Avro's own compatibility checker applied the way the registry's {@code FULL_TRANSITIVE}
 * level applies it: a new version must read every published version (backward) and be
 * readable by every published version (forward).
 */
public final class CompatibilityGate {

	private CompatibilityGate() {
	}

	/**
	 * Every reason why {@code candidate} may not be published next to {@code published};
	 * empty when it may.
	 */
	public static List<String> violations(Schema candidate, List<Schema> published) {
		List<String> violations = new ArrayList<>();
		for (int version = 0; version < published.size(); version++) {
			Schema old = published.get(version);
			check(candidate, old, "cannot read version " + (version + 1), violations);
			check(old, candidate, "version " + (version + 1) + " cannot read it", violations);
		}
		return violations;
	}

	private static void check(Schema reader, Schema writer, String direction, List<String> violations) {
		SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
		if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
			result.getResult()
				.getIncompatibilities()
				.forEach(incompatibility -> violations.add(direction + ": " + incompatibility.getType() + " at "
						+ incompatibility.getLocation() + " (" + incompatibility.getMessage() + ")"));
		}
	}

}
