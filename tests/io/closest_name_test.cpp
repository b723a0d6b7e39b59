// Misspelling suggestions: edit_distance against hand-counted edits, and closest_name's
// threshold (a misspelling, not another word).
#include <gtest/gtest.h>

#include "ncverify/io/closest_name.hpp"

using namespace ncverify;

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("abc", ""), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("learnig_rate", "learning_rate"), 1u);  // one insertion
    EXPECT_EQ(edit_distance("noize", "noise"), 1u);                 // one substitution
    EXPECT_EQ(edit_distance("wdiths", "widths"), 1u);               // one transposition
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // optimal string alignment: no edit of a transposed pair
    EXPECT_EQ(edit_distance("seed", "steps"), edit_distance("steps", "seed"));
}

TEST(ClosestName, SuggestsOnlyMisspellings) {
    const std::vector<std::string> keys{"steps", "learning_rate", "weight_decay", "name"};
    EXPECT_EQ(closest_name("learnig_rate", keys), "learning_rate");
    EXPECT_EQ(closest_name("weigth_decay", keys), "weight_decay");
    EXPECT_EQ(closest_name("step", keys), "steps");
    EXPECT_EQ(closest_name("momentum", keys), std::nullopt);  // another word
    EXPECT_EQ(closest_name("steps", keys), std::nullopt);     // the name itself is no suggestion
    EXPECT_EQ(closest_name("x", {}), std::nullopt);
    EXPECT_EQ(closest_name("--learnig-rate", {"--learning-rate", "--weight-decay"}), "--learning-rate");
}
