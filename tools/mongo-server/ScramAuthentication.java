import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 7677, as MongoDB speaks it in saslStart and saslContinue) in front of a backend, for one
 * user: what a production MongoDB with authentication asks of the Manager. Until a connection has
 * authenticated it may only say hello and authenticate; every other command is refused as MongoDB refuses it
 * (code 13, Unauthorized).
 */
final class ScramAuthentication implements InvocationHandler {
    private static final AttributeKey<Object> STATE = AttributeKey.valueOf("testausdeploy.scram");
    private static final Object AUTHENTICATED = new Object();
    private static final Set<String> OPEN = Set.of("hello", "ismaster", "buildinfo", "saslstart", "saslcontinue");
    private static final int ITERATIONS = 4096;

    /** A conversation between saslStart and the client's proof. */
    private record Conversation(String clientFirstBare, String serverFirst, String nonce) {}

    private final MongoBackend backend;
    private final String user;
    private final byte[] salt = new byte[16];
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final SecureRandom random = new SecureRandom();

    private ScramAuthentication(MongoBackend backend, String user, String password) throws GeneralSecurityException {
        this.backend = backend;
        this.user = user;
        random.nextBytes(salt);
        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
        serverKey = hmac(salted, "Server Key");
    }

    static MongoBackend wrap(MongoBackend backend, String user, String password) throws GeneralSecurityException {
        return (MongoBackend) Proxy.newProxyInstance(MongoBackend.class.getClassLoader(),
            new Class<?>[] {MongoBackend.class}, new ScramAuthentication(backend, user, password));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "handleCommand":
                return command((Channel) args[0], (String) args[2], (Document) args[3], method, args);
            case "handleMessage": {
                MongoMessage message = (MongoMessage) args[0];
                String name = message.getDocument().keySet().iterator().next();
                return command(message.getChannel(), name, message.getDocument(), method, args);
            }
            case "handleQuery":
                requireAuthenticated(((MongoQuery) args[0]).getChannel(), "query");
                return delegate(method, args);
            default:
                return delegate(method, args);
        }
    }

    private Object command(Channel channel, String name, Document query, Method method, Object[] args) throws Throwable {
        switch (name.toLowerCase()) {
            case "saslstart":
                return start(channel, query);
            case "saslcontinue":
                return proceed(channel, query);
            case "hello":
            case "ismaster": {
                Document answer = (Document) delegate(method, args);
                if (query.containsKey("saslSupportedMechs")) answer.put("saslSupportedMechs", List.of("SCRAM-SHA-256"));
                return answer;
            }
            default:
                if (!OPEN.contains(name.toLowerCase())) requireAuthenticated(channel, name);
                return delegate(method, args);
        }
    }

    private Object delegate(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(backend, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void requireAuthenticated(Channel channel, String command) {
        if (channel.attr(STATE).get() != AUTHENTICATED) {
            throw new MongoServerError(13, "Unauthorized", "command " + command + " requires authentication");
        }
    }

    private Document start(Channel channel, Document query) {
        if (!"SCRAM-SHA-256".equals(query.get("mechanism"))) {
            throw new MongoServerError(334, "MechanismUnavailable", "only SCRAM-SHA-256 is supported");
        }
        String first = payload(query);
        if (!first.startsWith("n,,")) throw failed(channel);
        String bare = first.substring(3);
        Map<String, String> attributes = attributes(bare);
        if (!user.equals(attributes.get("n")) || attributes.get("r") == null) throw failed(channel);
        byte[] mine = new byte[24];
        random.nextBytes(mine);
        String nonce = attributes.get("r") + Base64.getEncoder().encodeToString(mine);
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
        channel.attr(STATE).set(new Conversation(bare, serverFirst, nonce));
        return answer(false, serverFirst);
    }

    private Document proceed(Channel channel, Document query) throws GeneralSecurityException {
        Object state = channel.attr(STATE).get();
        if (state == AUTHENTICATED) return answer(true, "");
        if (!(state instanceof Conversation conversation)) throw failed(channel);
        String last = payload(query);
        int proofAt = last.lastIndexOf(",p=");
        if (proofAt < 0) throw failed(channel);
        String withoutProof = last.substring(0, proofAt);
        if (!conversation.nonce().equals(attributes(withoutProof).get("r"))) throw failed(channel);
        String authMessage = conversation.clientFirstBare() + "," + conversation.serverFirst() + "," + withoutProof;
        byte[] proof = Base64.getDecoder().decode(last.substring(proofAt + 3));
        byte[] clientKey = hmac(storedKey, authMessage);
        if (proof.length != clientKey.length) throw failed(channel);
        for (int i = 0; i < clientKey.length; i++) clientKey[i] ^= proof[i];
        if (!MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(clientKey), storedKey)) {
            throw failed(channel);
        }
        channel.attr(STATE).set(AUTHENTICATED);
        return answer(true, "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage)));
    }

    private static MongoServerError failed(Channel channel) {
        channel.attr(STATE).set(null);
        return new MongoServerError(18, "AuthenticationFailed", "Authentication failed.");
    }

    private static Document answer(boolean done, String payload) {
        return new Document("conversationId", 1).append("done", done)
            .append("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8))).append("ok", 1.0);
    }

    private static String payload(Document query) {
        Object payload = query.get("payload");
        byte[] bytes = payload instanceof BinData binary ? binary.getData() : payload instanceof byte[] raw ? raw : null;
        if (bytes == null) throw new MongoServerError(17, "ProtocolError", "payload must be binary");
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() > 2 && part.charAt(1) == '=') attributes.putIfAbsent(part.substring(0, 1), part.substring(2));
        }
        return attributes;
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
