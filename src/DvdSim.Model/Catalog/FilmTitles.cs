using DvdSim.Model.Randomness;

namespace DvdSim.Model.Catalog;

/// <summary>
/// Film titles in Sakila's style ("SILENT GRAVEYARD"), built from genre-specific templates and
/// unique within a run by construction: a film id is mapped one-to-one onto an (adjective, genre
/// noun) pair by a seed-keyed permutation, every word list is disjoint from the others and from
/// the template words, so two films can only share a title if they share the pair — that is, the
/// id. Past <see cref="PairCount"/> films the pairs come round again with a sequel numeral (II, III…).
/// </summary>
public static class FilmTitles
{
    /// <summary>Distinct (adjective, noun) pairs; film ids beyond this get sequel numerals.</summary>
    public static int PairCount => Adjectives.Count * NounsPerGenre;

    public static string For(long seed, int filmId, int categoryId)
    {
        if (filmId < 1) throw new ArgumentOutOfRangeException(nameof(filmId), filmId, "film ids start at 1");
        var genre = ReferenceData.CategoryName(categoryId);

        var layout = Layout.For(seed);
        var index = filmId - 1;
        var round = index / PairCount;
        var pair = (int)(((long)layout.Multiplier * (index % PairCount) + layout.Offset) % PairCount);
        var adjective = Adjectives[layout.Adjectives[pair / NounsPerGenre]];
        var noun = Nouns[genre][layout.Nouns[pair % NounsPerGenre]];

        var random = new KeyedRandom(seed, "film-title", filmId);
        var templates = Templates[genre];
        // The plain two-word form is the most common, as in Sakila.
        var template = random.Chance(0.6) ? templates[0] : templates[1 + random.NextInt(templates.Count - 1)];
        var title = template.Replace("{A}", adjective).Replace("{N}", noun);
        return round == 0 ? title : title + " " + Roman(round + 1);
    }

    internal const int NounsPerGenre = 32;

    private sealed record Layout(long Seed, int Multiplier, int Offset, int[] Adjectives, int[] Nouns)
    {
        private static Layout? _last;

        public static Layout For(long seed)
        {
            // Titles are asked for film by film: keep the last seed's permutation.
            var last = Volatile.Read(ref _last);
            if (last is not null && last.Seed == seed) return last;

            var random = new KeyedRandom(seed, "film-title-layout");
            int multiplier;
            do multiplier = 1 + random.NextInt(PairCount - 1);
            while (Gcd(multiplier, PairCount) != 1);
            var layout = new Layout(seed, multiplier, random.NextInt(PairCount),
                Shuffle(random, FilmTitles.Adjectives.Count), Shuffle(random, NounsPerGenre));
            Volatile.Write(ref _last, layout);
            return layout;
        }
    }

    private static int[] Shuffle(KeyedRandom random, int count)
    {
        var items = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    internal static string Roman(int number)
    {
        (int Value, string Symbol)[] symbols =
            [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
        var text = new System.Text.StringBuilder();
        foreach (var (value, symbol) in symbols)
            while (number >= value) { text.Append(symbol); number -= value; }
        return text.ToString();
    }

    internal static IReadOnlyList<string> Adjectives { get; } =
    [
        "ABSOLUTE", "ANCIENT", "ANGRY", "ARCTIC", "ATOMIC", "AUTUMN", "AWKWARD", "BACKWARD", "BAREFOOT", "BITTER",
        "BLACK", "BLAZING", "BLIND", "BLUE", "BOLD", "BORROWED", "BRAVE", "BRIGHT", "BRILLIANT", "BROKEN",
        "BURNING", "CALM", "CARELESS", "CELESTIAL", "CHARMING", "CHEAP", "CLEVER", "CLOUDY", "COLD", "COPPER",
        "CORDIAL", "COSMIC", "CRAZY", "CRIMSON", "CROOKED", "CRYSTAL", "CURIOUS", "DANGEROUS", "DARING", "DARK",
        "DEADLY", "DEEP", "DESERT", "DESPERATE", "DISTANT", "DIZZY", "DOUBLE", "DREAMY", "DUSTY", "EAGER",
        "EASTERN", "ELECTRIC", "ELEGANT", "EMERALD", "ENDLESS", "ETERNAL", "FADED", "FAITHFUL", "FALLEN", "FAMOUS",
        "FEARLESS", "FIERCE", "FINAL", "FIRST", "FLYING", "FOGGY", "FORBIDDEN", "FORGOTTEN", "FORTUNATE", "FRAGILE",
        "FRANTIC", "FROZEN", "FUNNY", "GENTLE", "GIANT", "GILDED", "GLASS", "GLOBAL", "GOLDEN", "GRACEFUL",
        "GRAND", "GREEN", "GRIM", "HAPPY", "HASTY", "HAUNTED", "HEAVY", "HIDDEN", "HOLLOW", "HONEST",
        "HUMBLE", "HUNGRY", "ICY", "IDLE", "IMPOSSIBLE", "INFINITE", "INNOCENT", "INVISIBLE", "IRON", "JADED",
        "JEALOUS", "JOLLY", "KIND", "LAST", "LATE", "LAZY", "LEGENDARY", "LONELY", "LONG", "LOST",
        "LOUD", "LUCKY", "LUNAR", "MAGIC", "MARBLE", "MELLOW", "MIDNIGHT", "MIGHTY", "MISSING", "MODERN",
        "MORTAL", "NERVOUS", "NEON", "NOBLE", "NORTHERN", "OBSCURE", "ODD", "ORANGE", "PAPER", "PATIENT",
        "PERFECT", "PHANTOM", "POLAR", "PRIVATE", "PROUD", "PURPLE", "QUICK", "QUIET", "RADIANT", "RAPID",
        "RECKLESS", "RED", "RESTLESS", "ROGUE", "ROYAL", "RUSTY", "SACRED", "SAVAGE", "SCARLET", "SECRET",
        "SHADOWY", "SHARP", "SHINING", "SILENT", "SILVER", "SIMPLE", "SLEEPY", "SLOW", "SMOKY", "SOLAR",
        "SOUTHERN", "SPARKLING", "STEEL", "STOLEN", "STORMY", "STRANGE", "SUDDEN", "SUMMER", "SUNNY", "SWEET",
        "SWIFT", "TENDER", "TIMELESS", "TINY", "TIRED", "TWISTED", "UNDERGROUND", "UNTAMED", "URBAN", "VELVET",
        "VIOLET", "VIRTUAL", "WANDERING", "WARM", "WESTERN", "WHISPERING", "WICKED", "WILD", "WINTER", "WISE",
        "WOODEN", "WOUNDED", "YELLOW", "YOUNG", "ZEALOUS",
    ];

    /// <summary>Per genre: the first template is the plain "{A} {N}".</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> Templates { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["Action"] = ["{A} {N}", "THE {A} {N}", "OPERATION {A} {N}", "{A} {N} STRIKES"],
        ["Animation"] = ["{A} {N}", "THE {A} {N}", "{A} {N} TALES"],
        ["Children"] = ["{A} {N}", "THE {A} {N}", "LITTLE {A} {N}"],
        ["Classics"] = ["{A} {N}", "THE {A} {N}", "A {A} {N}"],
        ["Comedy"] = ["{A} {N}", "MY {A} {N}", "{A} {N} MADNESS"],
        ["Documentary"] = ["{A} {N}", "INSIDE THE {A} {N}", "{A} {N} UNCOVERED"],
        ["Drama"] = ["{A} {N}", "THE {A} {N}", "{A} {N} DIARIES"],
        ["Family"] = ["{A} {N}", "THE {A} {N}", "{A} {N} HOLIDAY"],
        ["Foreign"] = ["{A} {N}", "THE {A} {N}"],
        ["Games"] = ["{A} {N}", "THE {A} {N}", "{A} {N} CHALLENGE"],
        ["Horror"] = ["{A} {N}", "THE {A} {N}", "NIGHT OF THE {A} {N}", "RETURN OF THE {A} {N}"],
        ["Music"] = ["{A} {N}", "THE {A} {N}", "{A} {N} LIVE"],
        ["New"] = ["{A} {N}", "THE {A} {N}"],
        ["Sci-Fi"] = ["{A} {N}", "THE {A} {N}", "{A} {N} RISING", "BEYOND THE {A} {N}"],
        ["Sports"] = ["{A} {N}", "THE {A} {N}", "{A} {N} GLORY"],
        ["Travel"] = ["{A} {N}", "THE {A} {N}", "{A} {N} EXPRESS"],
    };

    /// <summary>Exactly <see cref="NounsPerGenre"/> nouns a genre, no noun in two genres.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> Nouns { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["Action"] =
        [
            "HEIST", "BULLET", "VENDETTA", "AMBUSH", "GUNFIGHT", "CONVOY", "ESCAPE", "PURSUIT", "SHOWDOWN", "MERCENARY",
            "SNIPER", "FUGITIVE", "BODYGUARD", "DETONATOR", "HIJACK", "RAMPAGE", "STANDOFF", "TARGET", "COMMANDO", "RECKONING",
            "TRIGGER", "BLOCKADE", "STRIKEFORCE", "WARHEAD", "ASSASSIN", "CRUSADE", "SIEGE", "RIVAL", "EXTRACTION", "VIGILANTE",
            "GAUNTLET", "OUTLAW",
        ],
        ["Animation"] =
        [
            "PENGUIN", "DRAGON", "ROBOT", "BUNNY", "WIZARD", "MERMAID", "TOYBOX", "GOBLIN", "UNICORN", "RACCOON",
            "HEDGEHOG", "OWL", "FOX", "PANDA", "SNOWMAN", "CATERPILLAR", "BEETLE", "TOUCAN", "OTTER", "WALRUS",
            "PIXIE", "TROLL", "GNOME", "SQUIRREL", "CHIPMUNK", "FIREFLY", "LADYBUG", "BADGER", "ELEPHANT", "GIRAFFE",
            "PLATYPUS", "DOODLE",
        ],
        ["Children"] =
        [
            "PUPPY", "KITE", "TREEHOUSE", "BALLOON", "LOLLIPOP", "TEDDY", "PLAYGROUND", "CRAYON", "SANDCASTLE", "PONY",
            "PIRATE", "CUPCAKE", "SCOOTER", "PICNIC", "SLEEPOVER", "BACKPACK", "SCHOOLBUS", "TRICYCLE", "DOLLHOUSE", "RAINBOW",
            "BUTTERFLY", "DINOSAUR", "GOLDFISH", "FROG", "DUCKLING", "LAMB", "PIGLET", "KANGAROO", "LEMONADE", "SNOWFLAKE",
            "BUBBLE", "JELLYBEAN",
        ],
        ["Classics"] =
        [
            "EMPIRE", "DUCHESS", "COUNTESS", "ORCHARD", "VOYAGE", "SONATA", "MANOR", "GOVERNESS", "HEIRESS", "CARRIAGE",
            "LANTERN", "PARASOL", "SWEETHEART", "VERANDA", "MINUET", "TELEGRAM", "RIVIERA", "BALLROOM", "GRAMOPHONE", "PROMENADE",
            "ESTATE", "CAVALIER", "MONOCLE", "BOULEVARD", "ROMANCE", "DYNASTY", "TYCOON", "SPINSTER", "CHAPERONE", "CAMEO",
            "PORTRAIT", "LEGACY",
        ],
        ["Comedy"] =
        [
            "WEDDING", "ROOMMATE", "HICCUP", "PICKLE", "MIXUP", "NEIGHBOR", "BACHELOR", "INLAWS", "REUNION", "BLUNDER",
            "SLAPSTICK", "PRANK", "HONEYMOON", "ROADTRIP", "FIASCO", "MUSTACHE", "SUBSTITUTE", "INTERN", "DENTIST", "ACCOUNTANT",
            "PLUMBER", "TOURIST", "SHENANIGANS", "KERFUFFLE", "BANANA", "SIDEKICK", "CHAOS", "GIGGLE", "DOORMAN", "UNCLE",
            "BOSS", "CARPOOL",
        ],
        ["Documentary"] =
        [
            "GLACIER", "CORAL", "VOLCANO", "RAINFOREST", "MIGRATION", "HARVEST", "FACTORY", "SAVANNA", "TUNDRA", "WATERSHED",
            "REEF", "ECOSYSTEM", "ARCHIVE", "FRONTIER", "WORKSHOP", "EXPEDITION", "PIPELINE", "MONSOON", "ESTUARY", "QUARRY",
            "BEEHIVE", "MARSHLAND", "CANYON", "TRIBE", "HISTORY", "EVIDENCE", "TESTIMONY", "GENOME", "CLIMATE", "OCEAN",
            "PLANTATION", "CENSUS",
        ],
        ["Drama"] =
        [
            "WIDOW", "SECRETS", "CONFESSION", "INHERITANCE", "VERDICT", "AFFAIR", "DIVORCE", "FUNERAL", "SACRIFICE", "BETRAYAL",
            "REDEMPTION", "ORPHAN", "SCANDAL", "HOMECOMING", "LETTERS", "SILENCE", "MEMOIR", "ABSENCE", "TESTAMENT", "PROMISE",
            "DAUGHTER", "BROTHERS", "SISTERS", "FAREWELL", "REGRET", "HEARTBREAK", "JUSTICE", "TRIAL", "PRISONER", "COMPANION",
            "SURVIVOR", "MOTHERLAND",
        ],
        ["Family"] =
        [
            "GRANDPA", "GRANDMA", "FARMHOUSE", "CHRISTMAS", "THANKSGIVING", "BARNYARD", "SHEEPDOG", "CAMPFIRE", "CARNIVAL", "SLEDGE",
            "TWINS", "STEPMOM", "NANNY", "BABYSITTER", "MINIVAN", "BACKYARD", "CABIN", "FISHING", "GARDEN", "PANCAKE",
            "KITCHEN", "ATTIC", "PUMPKIN", "SNOWSTORM", "BIRTHDAY", "SCARECROW", "TRACTOR", "PARADE", "LIGHTHOUSE", "HORSESHOE",
            "PORCH", "HOMESTEAD",
        ],
        ["Foreign"] =
        [
            "AMOUR", "FIESTA", "SIESTA", "KIMONO", "GONDOLA", "BAZAAR", "SAMURAI", "MATADOR", "FLAMENCO", "TANGO",
            "PIAZZA", "CAFE", "BOULANGERIE", "DACHA", "KASBAH", "MONSIEUR", "SIGNORA", "SENORITA", "GEISHA", "BABUSHKA",
            "HACIENDA", "RICKSHAW", "FJORD", "BISTRO", "VILLA", "CHATEAU", "TRATTORIA", "PAGODA", "MISTRAL", "SAKURA",
            "DOLCE", "OASIS",
        ],
        ["Games"] =
        [
            "CHECKMATE", "GAMBIT", "JACKPOT", "ROULETTE", "POKER", "DOMINO", "ARCADE", "JOYSTICK", "DICE", "GAMBLER",
            "BLACKJACK", "BINGO", "PINBALL", "LABYRINTH", "RIDDLE", "CHARADE", "CROSSWORD", "TRIVIA", "CASINO", "CARDSHARP",
            "BLUFF", "STALEMATE", "ENDGAME", "HIGHSCORE", "PAWN", "BISHOP", "ROOK", "CHESSBOARD", "MAHJONG", "BACKGAMMON",
            "SOLITAIRE", "DARTBOARD",
        ],
        ["Horror"] =
        [
            "GRAVEYARD", "CRYPT", "COFFIN", "POLTERGEIST", "WEREWOLF", "VAMPIRE", "ZOMBIE", "EXORCISM", "SEANCE", "ASYLUM",
            "BASEMENT", "CURSE", "DEMON", "GHOUL", "MORGUE", "NIGHTMARE", "SKULL", "SPECTER", "WITCH", "BANSHEE",
            "CARNAGE", "CELLAR", "CHAINSAW", "CORPSE", "HAUNTING", "MASK", "SCREAM", "MANIAC", "TOMB", "OMEN",
            "RITUAL", "PARASITE",
        ],
        ["Music"] =
        [
            "SYMPHONY", "GUITAR", "RHYTHM", "BALLAD", "CHORUS", "ENCORE", "JUKEBOX", "MELODY", "ORCHESTRA", "SERENADE",
            "SAXOPHONE", "TRUMPET", "DRUMMER", "VIOLIN", "PIANO", "CONCERT", "DISCO", "GROOVE", "HARMONY", "JAZZ",
            "LULLABY", "OPERA", "RHAPSODY", "BLUES", "FUNK", "BANDSTAND", "BASSLINE", "CRESCENDO", "FANFARE", "REHEARSAL",
            "ANTHEM", "VINYL",
        ],
        ["New"] =
        [
            "STARTUP", "BROADCAST", "PAGER", "MODEM", "SUPERSTAR", "DRONE", "GADGET", "SKYLINE", "MILLENNIUM", "NETWORK",
            "PASSWORD", "SIGNAL", "HOTLINE", "DEADLINE", "PAYCHECK", "SUBWAY", "ROOFTOP", "LOFT", "DOWNTOWN", "MALL",
            "CONDO", "PENTHOUSE", "BILLBOARD", "HEADLINE", "SPOTLIGHT", "INTERVIEW", "PAPARAZZI", "CELEBRITY", "CAMPUS", "DORM",
            "FREEWAY", "COMMUTE",
        ],
        ["Sci-Fi"] =
        [
            "ASTEROID", "GALAXY", "NEBULA", "ANDROID", "CYBORG", "STARSHIP", "WORMHOLE", "PLANET", "COMET", "REACTOR",
            "CLONE", "MUTANT", "ALIEN", "SPACESHIP", "TELEPORT", "SATELLITE", "QUASAR", "ORBIT", "COLONY", "MARTIAN",
            "PARADOX", "HOLOGRAM", "LASER", "NANOBOT", "MOTHERSHIP", "SINGULARITY", "EXOPLANET", "SUPERNOVA", "INVASION", "HORIZON",
            "ECLIPSE", "DIMENSION",
        ],
        ["Sports"] =
        [
            "CHAMPION", "KNOCKOUT", "TOUCHDOWN", "HOMERUN", "SLAMDUNK", "PENALTY", "MARATHON", "REBOUND", "DRAFT", "ROOKIE",
            "STADIUM", "LOCKER", "QUARTERBACK", "GOALKEEPER", "PITCHER", "SPRINTER", "BOXER", "WRESTLER", "SURFER", "SKATER",
            "SHORTSTOP", "HATTRICK", "PLAYOFF", "OVERTIME", "COMEBACK", "UNDERDOG", "TROPHY", "PODIUM", "HALFTIME", "RACETRACK",
            "DERBY", "TEAMMATE",
        ],
        ["Travel"] =
        [
            "PASSPORT", "SUITCASE", "SAFARI", "CARAVAN", "HIGHWAY", "RAILWAY", "ATLAS", "COMPASS", "HARBOR", "ISLAND",
            "LAGOON", "VOYAGER", "BACKPACKER", "NOMAD", "POSTCARD", "SOUVENIR", "HOSTEL", "MOTEL", "AIRPORT", "CRUISE",
            "TRAIN", "ODYSSEY", "PILGRIM", "PASSAGE", "DETOUR", "GETAWAY", "ITINERARY", "LAYOVER", "ROUTE", "SUMMIT",
            "TRAIL", "CROSSING",
        ],
    };
}
