import DSTPluginSDK

/// The command names the `command_handler` test draws from, with their arity when known
/// (Redis's convention: `n` exactly n words with the name, `-n` at least n).
struct CommandCatalog: Equatable {
    struct Command: Equatable {
        /// Lowercase, as the engine lists it.
        let name: String
        /// Nil when the source did not say.
        let arity: Int?
    }

    /// Sorted by name, so the draw does not depend on the order the engine lists them in.
    let commands: [Command]
    /// Where the list came from: `COMMAND`, `COMMAND LIST` or `built-in`.
    let source: String

    /// - Parameter onServer: the commands go to a real server (a RESP target), which has
    ///   commands the embedded engine lacks: those that change the connection's protocol or
    ///   the server's configuration, run scripts, or persist are not sent to it either.
    init(commands: [Command], source: String, onServer: Bool = false) {
        var seen: [String] = []
        var unique: [Command] = []
        for command in commands.sorted(by: { $0.name < $1.name }) where !seen.contains(command.name) {
            seen.append(command.name)
            unique.append(command)
        }
        self.commands = unique.filter { !Self.excluded.contains($0.name) && !(onServer && Self.excludedOnServers.contains($0.name)) }
        self.source = source
    }

    /// Commands never sent: they would stop, block or detach the engine rather than answer (none
    /// is implemented today; the list guards against a future engine).
    static let excluded: [String] = [
        "shutdown", "debug", "monitor", "subscribe", "psubscribe", "ssubscribe", "sync", "psync",
        "replicaof", "slaveof", "failover", "blpop", "brpop", "brpoplpush", "blmove", "blmpop",
        "bzpopmin", "bzpopmax", "bzmpop", "wait", "waitaof", "client", "quit", "reset", "xread", "xreadgroup",
        // One reply per argument: a client expecting one reply per command loses count.
        "unsubscribe", "punsubscribe", "sunsubscribe",
    ]

    /// Not sent to a server either: HELLO 3 would switch the connection to RESP3, which the
    /// host's RESP2 client (hiredis 0.14) cannot read; CONFIG SET, ACL and scripts could change
    /// how the server answers everyone (a password, a user disabled), and SAVE-like commands
    /// write files or block.
    static let excludedOnServers: [String] = [
        "hello", "config", "acl", "auth", "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "function",
        "script", "module", "save", "bgsave", "bgrewriteaof", "lastsave", "cluster", "migrate", "latency", "replconf",
        "pfdebug", "pfselftest", "object", "swapdb",
        // COMMAND DOCS nests deeper than the 7 levels hiredis 0.14 reads.
        "command",
    ]

    /// From the engine's `COMMAND` reply: an array of `[name, arity, ...]` entries.
    static func fromCommandReply(_ reply: Reply, onServer: Bool = false) -> CommandCatalog? {
        guard let entries = reply.elements, !entries.isEmpty else { return nil }
        var commands: [Command] = []
        for entry in entries {
            guard let fields = entry.elements, let name = fields.first?.text, !name.isEmpty else { return nil }
            let arity = fields.count > 1 ? fields[1].integerValue.map { Int($0) } : nil
            commands.append(Command(name: name.lowercased(), arity: arity))
        }
        return CommandCatalog(commands: commands, source: "COMMAND", onServer: onServer)
    }

    /// From the engine's `COMMAND LIST` reply: an array of names.
    static func fromCommandListReply(_ reply: Reply, onServer: Bool = false) -> CommandCatalog? {
        guard let entries = reply.elements, !entries.isEmpty else { return nil }
        var commands: [Command] = []
        for entry in entries {
            guard let name = entry.text, !name.isEmpty else { return nil }
            commands.append(Command(name: name.lowercased(), arity: nil))
        }
        return CommandCatalog(commands: commands, source: "COMMAND LIST", onServer: onServer)
    }

    /// Redlite's commands and arities as of this plugin, for an engine that lists none.
    static let builtIn: CommandCatalog = {
        let table = """
        sadd -3 srem -3 smembers 2 sismember 3 smismember -3 scard 2 spop -2 srandmember -2 smove 4 sinter -2 \
        sunion -2 sdiff -2 sinterstore -3 sunionstore -3 sdiffstore -3 sintercard -3 sscan -3 get 2 set -3 \
        setnx 3 setex 4 psetex 4 mget -2 mset -3 msetnx -3 getset 3 getdel 2 getex -2 incr 2 incrby 3 decr 2 \
        decrby 3 incrbyfloat 3 append 3 strlen 2 getrange 4 substr 4 setrange 4 ping -1 echo 2 hello -1 time 1 \
        select 2 swapdb 3 dbsize 1 flushdb -1 flushall -1 config -2 info -1 command -1 vacuum 1 keyinfo 2 \
        del -2 unlink -2 exists -2 type 2 expire -3 pexpire -3 expireat -3 pexpireat -3 ttl 2 pttl 2 \
        expiretime 2 pexpiretime 2 persist 2 rename 3 renamenx 3 copy -3 keys 2 scan -2 randomkey 1 \
        lpush -3 rpush -3 lpushx -3 rpushx -3 lpop -2 rpop -2 llen 2 lrange 4 lindex 3 lset 4 ltrim 4 lrem 4 \
        linsert 5 lpos -3 lmove 5 rpoplpush 3 multi 1 exec 1 discard 1 watch -2 unwatch 1 zadd -4 zincrby 4 \
        zrem -3 zscore 3 zmscore -3 zcard 2 zcount 4 zlexcount 4 zrank 3 zrevrank 3 zrange -4 zrevrange -4 \
        zrangebyscore -4 zrevrangebyscore -4 zrangebylex -4 zrevrangebylex -4 zpopmin -2 zpopmax -2 \
        zremrangebyrank 4 zremrangebyscore 4 zremrangebylex 4 zunionstore -4 zinterstore -4 zdiffstore -4 \
        zrandmember -2 zscan -3 hset -4 hsetnx 4 hget 3 hmget -3 hmset -4 hgetall 2 hdel -3 hexists 3 hlen 2 \
        hkeys 2 hvals 2 hincrby 4 hincrbyfloat 4 hstrlen 3 hrandfield -2 hscan -3
        """
        let words = table.split(separator: " ")
        let commands = stride(from: 0, to: words.count - 1, by: 2).map {
            Command(name: String(words[$0]), arity: Int(words[$0 + 1]))
        }
        return CommandCatalog(commands: commands, source: "built-in")
    }()
}
