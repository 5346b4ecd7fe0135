"""Quality reviews: scorecards, weekly spot-check samples and reviews of closed conversations."""
