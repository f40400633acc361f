package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.common.spec.SpecException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine and
 * ValidateStateMachineDefinition over the {@link StateMachineRegistry}, in AWS's shapes. Only STANDARD state machines:
 * a Distributed Map runs only in STANDARD workflows, and dmap's executions are STANDARD ones.
 */
@ApplicationScoped
public class StateMachineOperations {

    private static final Logger LOG = Logger.getLogger(StateMachineOperations.class);
    static final String STANDARD = "STANDARD";
    private static final int MAX_DEFINITION = 1024 * 1024;

    /** AWS's members of CreateStateMachine/UpdateStateMachine that dmap does not implement, with the reason. */
    private static final Map<String, String> NOT_IMPLEMENTED = Map.of(
            "loggingConfiguration", "dmap logs to its own log, not to CloudWatch Logs",
            "tracingConfiguration", "dmap has no X-Ray tracing",
            "tags", "dmap keeps no tags",
            "publish", "dmap keeps no state machine versions",
            "versionDescription", "dmap keeps no state machine versions",
            "encryptionConfiguration", "dmap does not encrypt definitions with KMS keys");

    private final StateMachineRegistry registry;
    private final DefinitionCheck check;
    private final Clock clock = Clock.systemUTC();

    public StateMachineOperations(StateMachineRegistry registry, DefinitionCheck check) {
        this.registry = registry;
        this.check = check;
    }

    public ObjectNode create(AwsInput in) {
        in.members(Set.of("name", "definition", "roleArn", "type"), NOT_IMPLEMENTED);
        String name = AwsNames.check("name", in.required("name"), "InvalidName");
        String definition = definition(in, true);
        String roleArn = roleArn(in, true);
        String type = in.oneOf("type", Set.of(STANDARD, "EXPRESS"));
        if ("EXPRESS".equals(type)) {
            throw AwsError.validation("type", "is EXPRESS: dmap runs STANDARD state machines only (a Distributed Map "
                    + "runs in STANDARD workflows; its child executions may be EXPRESS)");
        }
        String arn = Arns.stateMachine(name);
        synchronized (this) {
            StateMachineRecord existing = registry.get(arn).orElse(null);
            if (existing != null) {
                if (existing.definition().equals(definition) && existing.roleArn().equals(roleArn)) {
                    return created(existing); // AWS: idempotent when nothing differs
                }
                throw new AwsError("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn
                        + "' (with another definition or roleArn)");
            }
            Instant now = clock.instant();
            StateMachineRecord machine = new StateMachineRecord(StateMachineRecord.SCHEMA_VERSION, arn, name,
                    definition, roleArn, STANDARD, now, now, UUID.randomUUID().toString());
            registry.put(machine);
            LOG.infof("state machine %s created", arn);
            return created(machine);
        }
    }

    private static ObjectNode created(StateMachineRecord machine) {
        ObjectNode out = Json.NODES.objectNode().put("stateMachineArn", machine.stateMachineArn());
        return AwsShapes.putDate(out, "creationDate", machine.creationDate());
    }

    public ObjectNode describe(AwsInput in) {
        in.members(Set.of("stateMachineArn", "includedData"), Map.of());
        in.oneOf("includedData", Set.of("ALL_DATA", "METADATA_ONLY"));
        StateMachineRecord m = machine(in.required("stateMachineArn"));
        ObjectNode out = Json.NODES.objectNode()
                .put("stateMachineArn", m.stateMachineArn())
                .put("name", m.name())
                .put("status", "ACTIVE");
        if (!"METADATA_ONLY".equals(in.string("includedData"))) {
            out.put("definition", m.definition());
        }
        out.put("roleArn", m.roleArn()).put("type", m.type());
        AwsShapes.putDate(out, "creationDate", m.creationDate());
        out.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
        out.put("revisionId", m.revisionId());
        return out;
    }

    public ObjectNode list(AwsInput in) {
        in.members(Set.of("maxResults", "nextToken"), Map.of());
        int max = in.maxResults();
        String after = decodeToken(in.string("nextToken", 1, 1024));
        List<StateMachineRecord> machines = registry.all().stream()
                .filter(m -> after == null || m.name().compareTo(after) > 0).toList();
        ObjectNode out = Json.NODES.objectNode();
        ArrayNode items = out.putArray("stateMachines");
        for (StateMachineRecord m : machines.subList(0, Math.min(max, machines.size()))) {
            ObjectNode item = items.addObject().put("stateMachineArn", m.stateMachineArn()).put("name", m.name())
                    .put("type", m.type());
            AwsShapes.putDate(item, "creationDate", m.creationDate());
        }
        if (machines.size() > max) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(machines.get(max - 1).name().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    public ObjectNode update(AwsInput in) {
        in.members(Set.of("stateMachineArn", "definition", "roleArn"), NOT_IMPLEMENTED);
        String arn = in.required("stateMachineArn");
        String definition = definition(in, false);
        String roleArn = roleArn(in, false);
        if (definition == null && roleArn == null) {
            throw new AwsError("MissingRequiredParameter", "Either the definition or the roleArn must be specified");
        }
        synchronized (this) {
            StateMachineRecord m = machine(arn);
            Instant now = clock.instant();
            StateMachineRecord updated = m.updated(definition == null ? m.definition() : definition,
                    roleArn == null ? m.roleArn() : roleArn, now, UUID.randomUUID().toString());
            registry.put(updated);
            LOG.infof("state machine %s updated (revision %s)", m.stateMachineArn(), updated.revisionId());
            ObjectNode out = AwsShapes.putDate(Json.NODES.objectNode(), "updateDate", now);
            return out.put("revisionId", updated.revisionId());
        }
    }

    /** Executions already started keep running: they started from the definition as it was. */
    public ObjectNode delete(AwsInput in) {
        in.members(Set.of("stateMachineArn"), Map.of());
        String arn = AwsArns.stateMachine("stateMachineArn", in.required("stateMachineArn"));
        synchronized (this) {
            if (registry.get(arn).isPresent()) {
                registry.delete(arn);
                LOG.infof("state machine %s deleted", arn);
            }
        }
        return Json.NODES.objectNode(); // AWS: deleting a state machine that does not exist succeeds too
    }

    public ObjectNode validate(AwsInput in) {
        in.members(Set.of("definition", "type", "severity", "maxResults"), Map.of());
        String definition = in.required("definition");
        String type = in.oneOf("type", Set.of(STANDARD, "EXPRESS"));
        in.oneOf("severity", Set.of("ERROR", "WARNING"));
        Long max = in.integer("maxResults", 0, 100);
        int limit = max == null || max == 0 ? 100 : max.intValue();
        List<SpecException.Problem> problems = new java.util.ArrayList<>(check.problems(definition));
        if ("EXPRESS".equals(type)) {
            problems.add(0, new SpecException.Problem("$", "dmap runs STANDARD state machines only"));
        }
        ObjectNode out = Json.NODES.objectNode().put("result", problems.isEmpty() ? "OK" : "FAIL");
        ArrayNode diagnostics = out.putArray("diagnostics");
        for (SpecException.Problem p : problems.subList(0, Math.min(limit, problems.size()))) {
            diagnostics.addObject().put("severity", "ERROR").put("code", "SCHEMA_VALIDATION_FAILED")
                    .put("message", p.reason()).put("location", DefinitionCheck.location(p.field()));
        }
        return out.put("truncated", problems.size() > limit);
    }

    /** The registered machine of an ARN; StateMachineDoesNotExist otherwise. */
    public StateMachineRecord machine(String arn) {
        String key = AwsArns.stateMachine("stateMachineArn", arn);
        return registry.get(key).orElseThrow(() -> new AwsError("StateMachineDoesNotExist",
                "State Machine Does Not Exist: '" + key + "'"));
    }

    private String definition(AwsInput in, boolean required) {
        String definition = required ? in.required("definition") : in.string("definition");
        if (definition == null) {
            return null;
        }
        if (definition.getBytes(StandardCharsets.UTF_8).length > MAX_DEFINITION) {
            throw AwsError.validation("definition", "failed to satisfy constraint: Member must have length less than "
                    + "or equal to 1048576");
        }
        List<SpecException.Problem> problems = check.problems(definition);
        if (!problems.isEmpty()) {
            throw new AwsError("InvalidDefinition", "Invalid State Machine Definition: '" + problems.stream()
                    .map(p -> "SCHEMA_VALIDATION_FAILED: " + p.reason() + " at " + DefinitionCheck.location(p.field()))
                    .collect(Collectors.joining(", ")) + "'");
        }
        return definition;
    }

    /** Kept and shown, never assumed: dmap calls no AWS service with it. */
    private static String roleArn(AwsInput in, boolean required) {
        String roleArn = required ? in.required("roleArn") : in.string("roleArn");
        if (roleArn != null && !roleArn.matches("arn:[^:]+:iam::[^:]*:role/.+")) {
            throw AwsError.invalidArn("roleArn", roleArn, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }
        return roleArn;
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AwsError("InvalidToken", "Invalid Token: '" + token + "' is not a nextToken this service returned");
        }
    }
}
