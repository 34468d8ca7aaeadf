namespace Rerank.Benchmarks;

/// <summary>
/// The benchmark's workload: one query and 50 passages shaped like MS MARCO candidates (most of 50–150 words, a
/// few long enough to be truncated at 512 tokens), composed deterministically from a pool of encyclopedia-style
/// sentences, so every run and every runtime sees exactly the same text.
/// </summary>
internal static class BenchPassages
{
    public const string Query = "How to process organic waste at home without producing methane?";

    private static readonly string[] Sentences =
    [
        "Composting is the controlled aerobic decomposition of organic matter such as food scraps, leaves and grass clippings.",
        "A well-managed compost pile needs a balance of carbon-rich browns and nitrogen-rich greens, roughly thirty to one by weight.",
        "Turning the pile every week or two keeps oxygen flowing, which prevents anaerobic pockets that release methane and foul odours.",
        "Vermicomposting uses red wiggler worms to break down kitchen waste in a bin that fits under a sink.",
        "Bokashi fermentation pickles food waste with inoculated bran before it is buried or added to a compost heap.",
        "Municipal green-bin programmes collect household organics and process them in industrial windrows or anaerobic digesters.",
        "Anaerobic digestion captures the methane from rotting organics as biogas, which can be burned for heat and electricity.",
        "Landfilled food waste decomposes without oxygen and is one of the largest human-made sources of methane emissions.",
        "Plastic recycling sorts resins by their identification code, shreds them into flakes and melts them into pellets.",
        "Only a small fraction of the plastic ever produced has been recycled; most of it sits in landfills or the environment.",
        "Industrial waste includes slag, sludge and chemical residues that must be treated before disposal under strict permits.",
        "Nuclear waste is classified as low, intermediate or high level, and spent fuel is stored in cooling pools and dry casks.",
        "Deep geological repositories are designed to isolate high-level radioactive waste for hundreds of thousands of years.",
        "The photosynthesis of green plants converts light energy, water and carbon dioxide into glucose and oxygen.",
        "Soil microbes, fungi and invertebrates turn dead plant material into humus, which improves soil structure and water retention.",
        "Finished compost is dark, crumbly and smells of earth; it is usually ready after two to six months.",
        "Meat, dairy and oily foods attract pests and are best kept out of a backyard compost bin.",
        "A thermometer helps: an active pile reaches fifty-five to sixty-five degrees Celsius, hot enough to kill most weed seeds.",
        "Electric kitchen composters dry and grind scraps overnight, though the output still needs time in soil to mature.",
        "Leaf mould is made by piling autumn leaves in a wire cage and leaving fungi to break them down for a year or two.",
        "The Roman agricultural writer Columella described manure heaps and the value of rotted organic matter for fields.",
        "Sourdough bread relies on wild yeasts and lactic acid bacteria that ferment flour and water over several days.",
        "The stock market fell sharply on Tuesday as investors weighed higher interest rates against strong earnings reports.",
        "Solar photovoltaic panels convert sunlight directly into electricity using layers of doped silicon.",
        "Honey bees collect nectar, store it in wax cells and evaporate its water by fanning their wings.",
        "Glass can be recycled endlessly without loss of quality, yet mixed-colour cullet is harder to sell.",
        "Aluminium cans are among the most valuable items in a recycling bin because remelting needs far less energy than smelting ore.",
        "Wastewater treatment plants separate solids, digest sludge and disinfect effluent before it returns to rivers.",
        "Biochar is charcoal made by heating biomass with little oxygen, and it can lock carbon into soil for centuries.",
        "Community gardens often share a composting station where residents drop off vegetable peelings and coffee grounds.",
        "Shredding woody material speeds decomposition because microbes work on surfaces, and smaller pieces expose more of them.",
        "A compost pile that is too wet becomes compacted and anaerobic; adding cardboard or straw restores air spaces.",
        "Methane is a greenhouse gas roughly eighty times more potent than carbon dioxide over twenty years.",
        "Hot composting finishes quickly but demands effort, while cold composting is slow and needs almost none.",
        "Food waste prevention, such as planning meals and storing produce well, avoids more emissions than any disposal method.",
        "In many cities, separately collected organics are turned into certified compost sold to farms and landscapers.",
        "The nitrogen cycle moves nitrogen between the atmosphere, soils, plants and animals through fixation and decay.",
        "Electronic waste contains valuable metals such as gold and copper alongside hazardous lead and mercury.",
        "Incineration with energy recovery burns mixed waste to generate power but emits carbon dioxide and leaves ash.",
        "Garden waste such as hedge trimmings can be chipped and used as mulch, which suppresses weeds and keeps soil moist.",
    ];

    /// <summary>Gets the 50 passages.</summary>
    public static IReadOnlyList<string> Passages { get; } = Compose(50, seed: 2024);

    internal static string[] Compose(int count, int seed)
    {
        // new Random(seed) is the legacy, version-stable generator: the passages never change between runs.
        var random = new Random(seed);
        var passages = new string[count];
        for (int i = 0; i < count; i++)
        {
            // Mostly 3–8 sentences (≈ 50–150 words); every tenth passage 20–28 sentences, past 512 tokens.
            int sentences = i % 10 == 9 ? random.Next(20, 29) : random.Next(3, 9);
            passages[i] = string.Join(' ', Enumerable.Range(0, sentences).Select(_ => Sentences[random.Next(Sentences.Length)]));
        }

        return passages;
    }
}
