package dev.subscriptions.eventing.outbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code outbox}, for operators of parked rows:
 * <ul>
 * <li>{@code GET /actuator/outbox}: the parked rows, oldest first;</li>
 * <li>{@code POST /actuator/outbox} with {@code {}} (all), {@code {"key": "…"}} or
 * {@code {"id": "…"}}: requeue, in the original order (by id: that row and the rows of
 * its key parked behind it);</li>
 * <li>{@code DELETE /actuator/outbox?id=…} or {@code ?key=…}: discard for good.</li>
 * </ul>
 */
@Endpoint(id = "outbox")
public class OutboxEndpoint {

	private static final int LISTED = 1000;

	private final ParkedOutbox parked;

	public OutboxEndpoint(ParkedOutbox parked) {
		this.parked = parked;
	}

	@ReadOperation
	public Map<String, Object> parked() {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("parked", this.parked.count());
		answer.put("rows", this.parked.list(LISTED));
		return answer;
	}

	@WriteOperation
	public Map<String, Object> requeue(@Nullable String key, @Nullable UUID id) {
		int requeued;
		if (id != null) {
			requeued = this.parked.requeueId(id);
		}
		else if (key != null) {
			requeued = this.parked.requeueKey(key);
		}
		else {
			requeued = this.parked.requeueAll();
		}
		return Map.of("requeued", requeued);
	}

	@DeleteOperation
	public Map<String, Object> discard(@Nullable String key, @Nullable UUID id) {
		if (id == null && key == null) {
			throw new InvalidEndpointRequestException("Discard needs an id or a key", "Missing id or key");
		}
		int discarded = (id != null) ? this.parked.discardId(id) : this.parked.discardKey(key);
		return Map.of("discarded", discarded);
	}

}
