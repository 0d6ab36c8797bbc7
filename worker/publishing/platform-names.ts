const NAMES: Record<string, string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  threads: "Threads",
  tiktok: "TikTok",
  linkedin: "LinkedIn",
  youtube: "YouTube",
  airtable: "Airtable",
};

/** The platform's name as people write it, for sentences shown to them. */
export function platformName(platform: string): string {
  return NAMES[platform] ?? platform;
}
